// Every value reaches the page through textContent, never as HTML: an action
// named <img src=x onerror=...> shows as those characters.
const list = document.getElementById('actions')
const rows = new Map() // id (text: ids are bigint, kept exact) -> row
const elements = new Map() // id -> <li>
const dates = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'short'})

function byId(a, b) {
  const [x, y] = [BigInt(a), BigInt(b)]
  return x < y ? -1 : x > y ? 1 : 0
}

function part(tag, className) {
  const element = document.createElement(tag)
  element.className = className
  return element
}

function create(id) {
  const item = part('li', 'action')
  item.dataset.id = id
  const button = part('button', 'done-button')
  button.type = 'button'
  button.textContent = 'Done'
  button.addEventListener('click', () => markDone(id, button))
  const body = part('div', 'body')
  body.append(part('span', 'name'), part('code', 'path'))
  item.append(part('span', 'badge'), body, part('span', 'meta'), button)
  elements.set(id, item)
  return item
}

function update(item, row) {
  item.classList.toggle('is-done', row.status)
  item.querySelector('.badge').textContent = row.status ? 'done' : 'pending'
  item.querySelector('.name').textContent = row.action
  item.querySelector('.path').textContent = row.path
  item.querySelector('.meta').textContent = `#${row.id} · ${dates.format(new Date(row.updated_at))}`
  const button = item.querySelector('.done-button')
  button.hidden = row.status
  button.disabled = false
}

function render() {
  for (const [id, item] of elements) {
    if (!rows.has(id)) {
      item.remove()
      elements.delete(id)
    }
  }

  let previous = null
  for (const id of [...rows.keys()].sort(byId)) {
    const item = elements.get(id) ?? create(id)
    update(item, rows.get(id))
    const expected = previous ? previous.nextSibling : list.firstChild
    if (item !== expected) list.insertBefore(item, expected)
    previous = item
  }

  const done = [...rows.values()].filter(row => row.status).length
  document.getElementById('counts').textContent = `${rows.size - done} pending · ${done} done`
  document.getElementById('empty').hidden = rows.size > 0
}

async function markDone(id, button) {
  button.disabled = true
  const response = await fetch(`/actions/${id}/done`, {method: 'POST'}).catch(() => undefined)
  // the change comes back through the feed, like everyone else's
  if (response?.ok) return
  button.disabled = false
  const reason = response ? (await response.json().catch(() => ({}))).error : 'the server is not reachable'
  showError(`Could not mark #${id} done: ${reason ?? response.status}`)
}

function showError(message) {
  const error = document.getElementById('error')
  error.textContent = message
  error.hidden = false
  setTimeout(() => {
    error.hidden = true
  }, 5000)
}

function setConnection(state) {
  const badge = document.getElementById('connection')
  badge.dataset.state = state
  badge.textContent = state
}

function applySnapshot(message) {
  rows.clear()
  for (const row of JSON.parse(message.data).rows) rows.set(row.id, row)
  render()
}

function applyChange(message) {
  const {op, rows: changed} = JSON.parse(message.data)
  for (const row of changed) {
    if (op === 'delete') rows.delete(row.id)
    else rows.set(row.id, row)
  }

  render()
}

let retries = 0

function listen() {
  const source = new EventSource('/events')
  source.addEventListener('snapshot', applySnapshot)
  source.addEventListener('change', applyChange)
  source.addEventListener('status', message => {
    retries = 0
    setConnection(JSON.parse(message.data).live ? 'live' : 'reconnecting')
  })
  source.addEventListener('error', () => {
    setConnection('reconnecting')
    // The browser reopens a dropped stream by itself (the server then sends
    // the rows again), but gives up for good on an HTTP error, such as the
    // 503 a router answers while the app restarts: start over, with backoff.
    if (source.readyState !== EventSource.CLOSED) return
    setTimeout(listen, Math.min(10_000, 1000 * 2 ** retries++))
  })
}

listen()
