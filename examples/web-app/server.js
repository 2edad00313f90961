// The actions list, live: one LISTEN connection fans every committed change
// out to all open pages through Server-Sent Events. Started by the Procfile
// with PORT and DATABASE_URL, as Heroku sets them.
import {readFileSync} from 'node:fs'
import http from 'node:http'

import {connectionConfig, createPool, reason} from './lib/database.js'
import {Feed} from './lib/feed.js'

const SSE_PING_MS = 20_000 // Heroku's router closes a connection idle for 55 s

const log = message => console.log(`web-app: ${message}`)

if (!process.env.DATABASE_URL) {
  console.error('web-app: DATABASE_URL is not set (heroku addons:create heroku-postgresql, or set it to a local database)')
  process.exit(1)
}

const config = connectionConfig(process.env.DATABASE_URL)
const pool = createPool(config, error => log(`idle pooled connection lost (${reason(error)})`))
const feed = new Feed(config, log)
const pages = new Set()

const STATIC = Object.fromEntries([
  ['/', 'index.html', 'text/html; charset=utf-8'],
  ['/app.js', 'app.js', 'text/javascript; charset=utf-8'],
  ['/style.css', 'style.css', 'text/css; charset=utf-8'],
].map(([path, file, type]) => [path, {body: readFileSync(new URL(`public/${file}`, import.meta.url)), type}]))

const HEADERS = {
  // no inline script or style anywhere: even text that escaped escaping could not run
  'Content-Security-Policy': "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
}

function send(res, status, type, body) {
  res.writeHead(status, {...HEADERS, 'Content-Type': type})
  res.end(body)
}

function event(name, data) {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`
}

function broadcast(name, data) {
  const message = event(name, data)
  for (const page of pages) page.write(message)
}

feed.on('snapshot', rows => broadcast('snapshot', {rows}))
feed.on('change', change => broadcast('change', change))
feed.on('status', status => broadcast('status', status))

function events(req, res) {
  res.writeHead(200, {...HEADERS, 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'Content-Type': 'text/event-stream'})
  // a dropped stream is reopened by the browser after 1 s
  res.write('retry: 1000\n\n')
  res.write(event('status', {live: feed.live}))
  // a new page gets the rows the feed already holds: no query per viewer
  if (feed.ready) res.write(event('snapshot', {rows: [...feed.rows.values()]}))
  pages.add(res)
  req.on('close', () => pages.delete(res))
}

async function markDone(req, res, id) {
  // a form on another site cannot mark actions done: the page's own requests come from its own origin
  const origin = req.headers.origin
  if (origin && URL.canParse(origin) && new URL(origin).host !== req.headers.host) {
    return send(res, 403, 'application/json', JSON.stringify({error: 'cross-origin request refused'}))
  }

  try {
    const {rowCount} = await pool.query('UPDATE actions SET status = true, updated_at = now() WHERE id = $1', [id])
    if (rowCount === 1) return send(res, 204, 'text/plain', '')
  } catch (error) {
    // 22003: an id beyond bigint is no id at all
    if (error.code !== '22003') {
      log(`marking an action done failed (${reason(error)})`)
      return send(res, 503, 'application/json', JSON.stringify({error: 'the database is not reachable; try again'}))
    }
  }

  send(res, 404, 'application/json', JSON.stringify({error: `no action with id ${id}`}))
}

const server = http.createServer((req, res) => {
  const {pathname} = new URL(req.url, 'http://localhost')
  const done = /^\/actions\/(\d{1,19})\/done$/.exec(pathname)
  if (req.method === 'POST' && done) return markDone(req, res, done[1])
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed')
  if (pathname === '/events') return events(req, res)
  const file = STATIC[pathname]
  if (file) return send(res, 200, file.type, file.body)
  send(res, 404, 'text/plain', 'not found')
})

const ping = setInterval(() => {
  for (const page of pages) page.write(': ping\n\n')
}, SSE_PING_MS)

async function shutdown() {
  clearInterval(ping)
  for (const page of pages) page.end()
  server.close()
  await Promise.allSettled([feed.stop(), pool.end()])
  process.exit(0)
}

process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)

server.listen(Number(process.env.PORT ?? 5000), () => {
  log(`listening on port ${server.address().port}`)
  feed.start()
})
