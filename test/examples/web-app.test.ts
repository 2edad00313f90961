/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type {BrowserContext, Page} from 'playwright-core'

import {expect} from 'chai'
import {readFile} from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

import {appWithActions} from '../support/actions.js'
import {useBrowser} from '../support/browser.js'
import {
  eventually, ROOT, run, RunningBin, startBin, startScript,
} from '../support/run.js'
import {APP, getWorld} from '../support/world.js'

const SERVER = path.join(ROOT, 'examples/web-app/server.js')
const APPLICATION_NAME = 'heroku-actions-web-app'
/** How long a change may take to show; the promise is 1 s, measured and reported, but a busy 2-core CI machine gets slack. */
const SHOWS_WITHIN = 5000

interface WebApp {
  /** the DATABASE_URL it was given, to look for in its output */
  databaseUrl: string
  running: RunningBin
  url: string
}

/** The example server as Heroku starts it (Procfile: node server.js), on a port it picks, once it listens for changes. */
async function startWebApp(databaseUrl = getWorld().pg.url, env: NodeJS.ProcessEnv = {}): Promise<WebApp> {
  const running = startScript(SERVER, [], {env: {DATABASE_URL: databaseUrl, PORT: '0', ...env}})
  const port = await eventually(() => /listening on port (\d+)/.exec(running.output())?.[1], 10_000, `the web app to listen:\n${running.output()}`)
  return {databaseUrl, running, url: `http://127.0.0.1:${port}/`}
}

async function ready(app: WebApp, times = 1): Promise<void> {
  await eventually(() => (count(app.running.output(), 'listening for changes') >= times ? true : undefined), 10_000, `the web app to listen for changes:\n${app.running.output()}`)
}

function count(text: string, part: string): number {
  return text.split(part).length - 1
}

function expectNoSecrets(app: WebApp, output: string): void {
  const {password, username} = new URL(app.databaseUrl)
  for (const secret of [app.databaseUrl, password, decodeURIComponent(password), decodeURIComponent(username)]) {
    expect(output, 'the web app printed a credential').to.not.include(secret)
  }
}

/**
 * Runs in the page. What it lists, one line per action: id, badge, text,
 * path, and whether it has a Done button. With `want`, waits (watching the
 * list change, no polling) until it lists exactly that, and resolves with
 * the time it did by the page's clock; rejects after `timeout` ms.
 * Helpers are object methods: tsx would wrap named functions in a helper
 * that the page does not have.
 */
async function inPage([want, timeout]: [string | undefined, number]): Promise<number | string[]> {
  return new Promise((resolve, reject) => {
    const list = document.querySelector('#actions')!
    const it = {
      check(): void {
        if (JSON.stringify(it.listed()) !== want) return
        observer.disconnect()
        clearTimeout(timer)
        resolve(Date.now())
      },
      listed(): string[] {
        return [...list.querySelectorAll<HTMLElement>('li')].map(item => {
          const [badge, name, path] = ['.badge', '.name', '.path'].map(selector => item.querySelector(selector)?.textContent ?? '')
          const button = item.querySelector<HTMLButtonElement>('button')
          return `${item.dataset.id} ${badge} ${name} ${path}${button && !button.hidden ? ' [Done]' : ''}`
        })
      },
    }
    if (want === undefined) {
      resolve(it.listed())
      return
    }

    const observer = new MutationObserver(() => it.check())
    const timer = setTimeout(() => {
      observer.disconnect()
      reject(new Error('timed out'))
    }, timeout)
    observer.observe(list, {
      attributes: true, characterData: true, childList: true, subtree: true,
    })
    it.check()
  })
}

/** Commit-to-page times, measured in the page: one viewer, and each of 25 viewers. */
const latencies = {'1 page': [] as number[], '25 pages': [] as number[]}

/**
 * Wait (no reload, no fixed sleep) until the page lists exactly `expected`.
 * With `since` (when the change committed), record how long the page took
 * to show it, by the page's own clock: not how long this process took to
 * hear of it.
 */
async function shows(page: Page, expected: string[], since?: number, viewers: keyof typeof latencies = '1 page'): Promise<void> {
  const want = JSON.stringify(expected)
  let seenAt: number
  try {
    seenAt = await page.evaluate(inPage, [want, SHOWS_WITHIN] as [string, number]) as number
  } catch (error) {
    const listed = await page.evaluate(inPage, [undefined, 0] as [undefined, number])
    throw new Error(`the page did not show ${want} within ${SHOWS_WITHIN} ms; it shows ${JSON.stringify(listed)}`, {cause: error})
  }

  if (since !== undefined) latencies[viewers].push(seenAt - since)
}

/** Commit a statement as another client (the superuser, on its own connection); returns when it has committed. */
async function commit(sql: string, params: unknown[] = []): Promise<number> {
  await getWorld().pg.query(sql, params)
  return Date.now()
}

async function stopWebApp(app: WebApp): Promise<void> {
  app.running.child.kill('SIGTERM')
  const {exitCode, stderr, stdout} = await app.running.done
  expectNoSecrets(app, stdout + stderr)
  expect(exitCode, 'the web app ends with 0 on SIGTERM').to.equal(0)
}

async function webAppConnections(): Promise<number> {
  const [{n}] = await getWorld().pg.query<{n: number}>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND usename = $2', [APPLICATION_NAME, getWorld().pg.user])
  return n
}

describe('examples/web-app in headless Chromium', function () {
  this.timeout(60_000)
  const chromium = useBrowser()
  let app: undefined | WebApp
  let contexts: BrowserContext[] = []

  /** A page in a browser context of its own, as a separate viewer has (one profile opens at most 6 connections per host over HTTP/1.1). */
  async function newPage(): Promise<Page> {
    const context = await chromium.browser().newContext({viewport: {height: 640, width: 960}})
    contexts.push(context)
    return context.newPage()
  }

  async function connection(page: Page, state: string): Promise<void> {
    try {
      await page.waitForFunction(state => document.querySelector('#connection')?.textContent === state, state, {timeout: 15_000})
    } catch (error) {
      throw new Error(`the page is not ${state} but ${await page.textContent('#connection')}; the web app says:\n${app?.running.output()}`, {cause: error})
    }
  }

  async function openPage(): Promise<Page> {
    const page = await newPage()
    await page.goto(app!.url)
    await connection(page, 'live')
    // survives only as long as the page is not reloaded
    await page.evaluate(() => Object.assign(globalThis, {notReloaded: true}))
    return page
  }

  async function notReloaded(page: Page): Promise<void> {
    expect(await page.evaluate(() => (globalThis as unknown as {notReloaded?: boolean}).notReloaded)).to.equal(true)
  }

  /** A table with `rows` and the feed, the web app serving it, and a page showing it live. */
  async function serve(rows: Array<[string, string, boolean?]> = []): Promise<Page> {
    await appWithActions(rows)
    app = await startWebApp()
    await ready(app)
    return openPage()
  }

  afterEach(async function () {
    await Promise.all(contexts.map(context => context.close()))
    contexts = []
    if (app) await stopWebApp(app)
    app = undefined
  })

  after(function () {
    for (const [viewers, times] of Object.entries(latencies)) {
      if (times.length === 0) continue
      const sorted = [...times].sort((a, b) => a - b)
      console.log(`      commit to page, ${viewers}: median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms over ${sorted.length} updates (promised: within 1000 ms)`)
    }
  })

  it('lists the actions and shows another client\'s insert, update and delete without a reload', async function () {
    const page = await serve([['deploy', '/api/deploy', false], ['backup', '/api/backup', true]])
    await shows(page, ['1 pending deploy /api/deploy [Done]', '2 done backup /api/backup'])
    expect(await page.textContent('#counts')).to.equal('1 pending · 1 done')

    let at = await commit("INSERT INTO actions (action, path) VALUES ('notify', '/api_v2/notify')")
    await shows(page, ['1 pending deploy /api/deploy [Done]', '2 done backup /api/backup', '3 pending notify /api_v2/notify [Done]'], at)
    at = await commit("UPDATE actions SET status = true, path = '/v2/deploy' WHERE id = 1")
    await shows(page, ['1 done deploy /v2/deploy', '2 done backup /api/backup', '3 pending notify /api_v2/notify [Done]'], at)
    at = await commit('DELETE FROM actions WHERE id = 2')
    await shows(page, ['1 done deploy /v2/deploy', '3 pending notify /api_v2/notify [Done]'], at)
    at = await commit('TRUNCATE actions')
    await shows(page, [], at)
    expect(await page.isVisible('#empty')).to.equal(true)
    await notReloaded(page)
  })

  it('shows the CLI\'s add, done, update and remove without a reload', async function () {
    const page = await serve()
    const add = await run(['actions:add', 'deploy', '/api/deploy', '--app', APP, '--json'])
    expect(add.exitCode, add.stderr).to.equal(0)
    const [{id}] = JSON.parse(add.stdout) as Array<{id: number | string}>
    await shows(page, [`${id} pending deploy /api/deploy [Done]`])
    expect((await run(['actions:done', String(id), '--app', APP])).exitCode).to.equal(0)
    await shows(page, [`${id} done deploy /api/deploy`])
    expect((await run(['actions:update', String(id), '--path', '/v2/deploy', '--pending', '--app', APP])).exitCode).to.equal(0)
    await shows(page, [`${id} pending deploy /v2/deploy [Done]`])
    expect((await run(['actions:remove', String(id), '--app', APP, '--confirm', APP])).exitCode).to.equal(0)
    await shows(page, [])
    await notReloaded(page)
  })

  it('marks a pending action done with its Done button', async function () {
    const page = await serve([['deploy', '/api/deploy', false], ['backup', '/api/backup', false]])
    await page.click('li[data-id="2"] button:text-is("Done")')
    await shows(page, ['1 pending deploy /api/deploy [Done]', '2 done backup /api/backup'])
    expect(await getWorld().pg.query('SELECT id::int, status FROM actions ORDER BY id')).to.deep.equal([{id: 1, status: false}, {id: 2, status: true}])
    await notReloaded(page)
  })

  it('ends a waiting actions:add --wait when Done is clicked', async function () {
    const page = await serve()
    const adding = startBin(['actions:add', 'x', '/x', '--app', APP, '--wait', '--timeout', '30s'])
    await eventually(() => (adding.output().includes('Waiting') || adding.child.exitCode !== null ? true : undefined), 15_000, 'actions:add --wait to wait')
    expect(adding.child.exitCode, `actions:add --wait ended before waiting: ${adding.output()}`).to.equal(null)
    const [{id}] = await getWorld().pg.query<{id: string}>('SELECT id::text FROM actions')
    await shows(page, [`${id} pending x /x [Done]`])
    const clicked = Date.now()
    await page.click(`li[data-id="${id}"] button:text-is("Done")`)
    const result = await adding.done
    expect(result.exitCode, result.stderr).to.equal(0)
    console.log(`      Done click to actions:add --wait exiting: ${Date.now() - clicked} ms`)
  })

  it('shows hostile text as text, and ids beyond 2^53 exactly', async function () {
    const page = await serve()
    const hostile = '<img src=x onerror="window.pwned = 1">'
    const script = '<script>window.pwned = 2</script>'
    const attribute = '" onmouseover="window.pwned = 3'
    await commit(
      'INSERT INTO actions (id, action, path) OVERRIDING SYSTEM VALUE VALUES (9007199254740993, $1, $2), (9007199254740995, $3, $4)',
      [hostile, script, attribute, '&lt;b&gt;'],
    )
    await shows(page, [`9007199254740993 pending ${hostile} ${script} [Done]`, `9007199254740995 pending ${attribute} &lt;b&gt; [Done]`])
    await page.hover('li[data-id="9007199254740995"] .name')
    expect(await page.$$('#actions img, #actions script, #actions b')).to.have.length(0)
    expect(await page.evaluate(() => (globalThis as unknown as {pwned?: number}).pwned)).to.equal(undefined)
    // the id goes back to the server as it came: the right row is marked done
    await page.click('li[data-id="9007199254740993"] button')
    await shows(page, [`9007199254740993 done ${hostile} ${script}`, `9007199254740995 pending ${attribute} &lt;b&gt; [Done]`])
    expect(await getWorld().pg.query('SELECT id::text, status FROM actions WHERE status')).to.deep.equal([{id: '9007199254740993', status: true}])
  })

  it('keeps pages updating after the database drops its connections (pg_terminate_backend)', async function () {
    const page = await serve([['deploy', '/api/deploy', false]])
    await page.click('li[data-id="1"] button') // the pool holds a connection now too
    await shows(page, ['1 done deploy /api/deploy'])

    const {pg} = getWorld()
    const [{n}] = await pg.query<{n: number}>('SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()', [pg.user])
    expect(n).to.be.greaterThan(0)
    // committed while the web app is away: the snapshot it sends on reconnecting brings it
    await commit("INSERT INTO actions (action, path) VALUES ('while away', '/away')")
    await ready(app!, 2)
    expect(app!.running.output()).to.match(/database connection lost \(57P01\); reconnecting in \d+ ms/)
    await shows(page, ['1 done deploy /api/deploy', '2 pending while away /away [Done]'])
    const at = await commit("INSERT INTO actions (action, path) VALUES ('after', '/after')")
    await shows(page, ['1 done deploy /api/deploy', '2 pending while away /away [Done]', '3 pending after /after [Done]'], at)
    // the pool replaced its dropped connection
    await page.click('li[data-id="3"] button')
    await shows(page, ['1 done deploy /api/deploy', '2 pending while away /away [Done]', '3 done after /after'])
    await notReloaded(page)
  })

  it('keeps pages updating across a restart of the web app, also when the router answers 503 meanwhile', async function () {
    const page = await serve([['deploy', '/api/deploy', false]])
    const {port} = new URL(app!.url)
    // what Heroku's router answers while no dyno is up: an EventSource gives up for good on it
    let refused = 0
    await page.route('**/events', route => {
      refused++
      return route.fulfill({body: 'Application Error', status: 503})
    })
    await stopWebApp(app!)
    app = undefined
    await connection(page, 'reconnecting')
    await eventually(() => (refused > 0 ? true : undefined), 10_000, 'the page to try again and meet the 503')
    await commit("INSERT INTO actions (action, path) VALUES ('while restarting', '/restart')")
    await page.unroute('**/events')
    app = await startWebApp(undefined, {PORT: port})
    await ready(app)
    await connection(page, 'live')
    await shows(page, ['1 pending deploy /api/deploy [Done]', '2 pending while restarting /restart [Done]'])
    const at = await commit('UPDATE actions SET status = true WHERE id = 2')
    await shows(page, ['1 pending deploy /api/deploy [Done]', '2 done while restarting /restart'], at)
    await notReloaded(page)
  })

  it('serves 25 open pages on at most 3 database connections, and a change reaches all of them', async function () {
    this.timeout(180_000)
    const first = await serve(Array.from({length: 5}, (_, i): [string, string] => [`task ${i + 1}`, `/task/${i + 1}`]))
    const pages = [first, ...await Promise.all(Array.from({length: 24}, () => openPage()))]
    // five viewers click at once: the pool's two connections take the requests
    await Promise.all(pages.slice(0, 5).map((page, i) => page.click(`li[data-id="${i + 1}"] button`)))
    const allDone = Array.from({length: 5}, (_, i) => `${i + 1} done task ${i + 1} /task/${i + 1}`)
    await Promise.all(pages.map(page => shows(page, allDone)))
    const connections = await webAppConnections()
    console.log(`      25 pages open: ${connections} database connections`)
    expect(connections).to.be.within(1, 3)

    const at = await commit("INSERT INTO actions (action, path) VALUES ('for everyone', '/all')")
    await Promise.all(pages.map(page => shows(page, [...allDone, '6 pending for everyone /all [Done]'], at, '25 pages')))
    expect(await webAppConnections()).to.be.within(1, 3)
  })

  it('never prints the database URL or password, also when the database refuses them', async function () {
    await appWithActions()
    const refused = new URL(getWorld().pg.url)
    refused.password = encodeURIComponent('wrong-p@ss:word/%')
    app = await startWebApp(refused.href)
    await eventually(() => (/database connection lost \(28P01\); reconnecting/.test(app!.running.output()) ? true : undefined), 10_000, 'the refusal')
    const page = await newPage()
    await page.goto(app.url)
    await connection(page, 'reconnecting')
    expectNoSecrets(app, app.running.output())
  })

  it('looks decent: a screenshot of a few rows', async function () {
    const page = await serve([
      ['deploy', '/api/deploy', false],
      ['backup', '/api/backup', true],
      ['notify', '/api_v2/notify', false],
      ['clear cache', '/cdn/purge?all=true', true],
    ])
    await shows(page, [
      '1 pending deploy /api/deploy [Done]',
      '2 done backup /api/backup',
      '3 pending notify /api_v2/notify [Done]',
      '4 done clear cache /cdn/purge?all=true',
    ])
    // one file per OS user: in a shared /tmp (sticky), another user's screenshot cannot be replaced
    const file = path.join(os.tmpdir(), `heroku-actions-web-app-${os.userInfo().username}.png`)
    await page.screenshot({fullPage: true, path: file})
    const png = await readFile(file)
    console.log(`      screenshot: ${file} (${png.length} bytes)`)
    expect(png.subarray(1, 4).toString()).to.equal('PNG')
    expect(png.length).to.be.greaterThan(10_000)
  })
})

/** An event stream of the web app read by a plain HTTP client: when each `event: NAME` arrived. */
async function eventStream(url: string): Promise<{arrived(name: string): number | undefined; close(): void}> {
  const arrivals = new Map<string, number>()
  return new Promise((resolve, reject) => {
    const request = http.get(new URL('/events', url), response => {
      let buffered = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        buffered += chunk
        for (const [, name] of buffered.matchAll(/^event: (\w+)$/gm)) if (!arrivals.has(name)) arrivals.set(name, Date.now())
      })
      resolve({arrived: name => arrivals.get(name), close: () => request.destroy()})
    })
    request.on('error', reject)
  })
}

describe('examples/web-app without a browser', function () {
  it('fans a change out to 25 event streams at once (the server alone, without 25 browsers on 2 cores)', async function () {
    await appWithActions()
    const app = await startWebApp()
    try {
      await ready(app)
      const streams = await Promise.all(Array.from({length: 25}, () => eventStream(app.url)))
      await eventually(() => (streams.every(stream => stream.arrived('snapshot')) ? true : undefined), 10_000, 'every stream to get the rows')
      const at = await commit("INSERT INTO actions (action, path) VALUES ('for everyone', '/all')")
      const times = await eventually(() => {
        const arrived = streams.map(stream => stream.arrived('change'))
        return arrived.every(time => time !== undefined) ? arrived.map(time => time! - at) : undefined
      }, SHOWS_WITHIN, 'the change on every stream')
      for (const stream of streams) stream.close()
      console.log(`      commit to 25 event streams: max ${Math.max(...times)} ms (promised: within 1000 ms)`)
      expect(await webAppConnections()).to.equal(1)
    } finally {
      await stopWebApp(app)
    }
  })
})

describe('examples/web-app connection settings', function () {
  type Config = {database: string, host: string, password: string, port: number, ssl: false | {rejectUnauthorized: boolean}, user: string}
  let connectionConfig: (url: string, env: Record<string, string>) => Config

  before(async function () {
    ({connectionConfig} = await import(pathToFileURL(path.join(ROOT, 'examples/web-app/lib/database.js')).href))
  })

  it('ignores sslmode in the URL and always uses SSL without verifying, as Heroku needs', function () {
    const config = connectionConfig('postgres://u:p%40ss@db.example.invalid:5433/d1?sslmode=require', {})
    expect(config).to.include({
      database: 'd1', host: 'db.example.invalid', password: 'p@ss', port: 5433, user: 'u',
    })
    expect(config.ssl).to.deep.equal({rejectUnauthorized: false})
  })

  it('never connects to a remote host in plaintext; a loopback host only with PGSSLMODE=disable', function () {
    expect(connectionConfig('postgres://u:p@db.example.invalid/d?sslmode=disable', {PGSSLMODE: 'disable'}).ssl).to.deep.equal({rejectUnauthorized: false})
    expect(connectionConfig('postgres://u:p@127.0.0.1/d', {}).ssl).to.deep.equal({rejectUnauthorized: false})
    expect(connectionConfig('postgres://u:p@localhost/d', {PGSSLMODE: 'disable'}).ssl).to.equal(false)
  })

  describe('against the SSL-only test server', function () {
    // A made-up name that is not loopback as far as the web app can tell; only the preloaded fake DNS knows it is 127.0.0.1.
    const REMOTE_NAME = 'db.web-app-tls.test'
    let app: undefined | WebApp

    beforeEach(async function () {
      await appWithActions()
    })

    afterEach(async function () {
      if (app) await stopWebApp(app)
      app = undefined
    })

    it('uses SSL for a host that is not loopback, whatever sslmode the URL or PGSSLMODE asks for', async function () {
      const url = new URL(getWorld().pg.url)
      url.hostname = REMOTE_NAME
      url.searchParams.set('sslmode', 'disable')
      const preload = pathToFileURL(path.join(ROOT, 'test/support/fake-dns-preload.ts')).href
      app = await startWebApp(url.href, {FAKE_DNS: `${REMOTE_NAME}=127.0.0.1`, NODE_OPTIONS: `--import tsx --import ${preload}`, PGSSLMODE: 'disable'})
      // the server's pg_hba takes only hostssl: a plaintext attempt would be refused (28000, next test)
      await ready(app)
    })

    it('the check above can fail: with PGSSLMODE=disable it tries plaintext to a loopback host, and the server refuses', async function () {
      app = await startWebApp(undefined, {PGSSLMODE: 'disable'})
      await eventually(() => (/database connection lost \(28000\); reconnecting/.test(app!.running.output()) ? true : undefined), 10_000, `the refusal:\n${app.running.output()}`)
    })
  })

  it('does not repeat a malformed URL in its error', function () {
    expect(() => connectionConfig('postgres://u:secret@[bad', {})).to.throw('DATABASE_URL is not a valid URL')
  })
})
