import {expect} from 'chai'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

import {skipUnlessCi} from '../support/ci.js'
import {withApp} from '../support/commands.js'
import {errorLine} from '../support/error-line.js'
import {installFakeDns} from '../support/fake-dns.js'
import {FaultProxy} from '../support/fault-proxy.js'
import {createTestHost, TestHost, whyNoTestHost} from '../support/netns.js'
import {startPostgres, TestPostgres} from '../support/postgres.js'
import {
  eventually, ROOT, run, runBin,
} from '../support/run.js'
import {APP, freshApp, getWorld} from '../support/world.js'

// A made-up name that is not loopback as far as the plugin can tell; only
// the fake DNS of the test knows it is 127.0.0.1.
const REMOTE_NAME = 'db.tls-proof.test'
const REFUSED = 'does not offer SSL, which is required (always for a remote host'
const URL_MODES = ['', 'disable', 'allow', 'prefer', 'require', 'no-verify']
const ENV_MODES = [undefined, 'disable', 'allow', 'prefer', 'require', 'no-verify', 'verify-full']

function withHost(url: string, host: string, sslmode: string): string {
  const parsed = new URL(url)
  parsed.hostname = host
  if (sslmode) parsed.searchParams.set('sslmode', sslmode)
  return parsed.toString()
}

async function withSslMode<T>(mode: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.PGSSLMODE
  if (mode === undefined) delete process.env.PGSSLMODE
  else process.env.PGSSLMODE = mode
  try {
    return await fn()
  } finally {
    if (saved === undefined) delete process.env.PGSSLMODE
    else process.env.PGSSLMODE = saved
  }
}

/** What a server saw since it was last asked: how many connections, and what arrived in plaintext. */
type Observe = () => Promise<{connections: number; plaintext: string[]}>

/** actions:init for example-app, with PGSSLMODE set (or unset): its exit code and error message. */
type Init = (pgsslmode: string | undefined) => Promise<{exitCode: number; message: string}>

const initInProcess: Init = async mode => {
  const {error, exitCode} = await withSslMode(mode, () => run(withApp(['actions:init'])))
  return {exitCode, message: error?.message ?? ''}
}

/** actions:init against `url` under every sslmode in the URL and every PGSSLMODE: what went wrong. */
async function everyMode(url: string, init: Init, observe: Observe): Promise<string[]> {
  const problems: string[] = []
  for (const urlMode of URL_MODES) {
    for (const envMode of ENV_MODES) {
      getWorld().api.setDatabaseUrl(APP, 'DATABASE', withHost(url, new URL(url).hostname, urlMode))

      const {exitCode, message} = await init(envMode)
      const where = `sslmode=${urlMode || '(none)'} PGSSLMODE=${envMode ?? '(unset)'}`

      const seen = await observe()
      if (exitCode !== 1 || !message.includes(REFUSED)) problems.push(`${where}: exit ${exitCode}, ${message}`)
      if (seen.connections === 0) problems.push(`${where}: never connected, so this proves nothing`)
      problems.push(...seen.plaintext.map(text => `${where}: sent in plaintext: ${text}`))
    }
  }

  return problems
}

describe('TLS is never skipped for a host that is not loopback', function () {
  this.timeout(120_000)

  describe('a plaintext-only PostgreSQL under a non-loopback name (fake DNS, no network)', function () {
    let plain: TestPostgres
    let proxy: FaultProxy
    let restoreDns: () => void

    /** sessions the server itself let in as the app's user, counted in its log (log_connections) */
    async function sessionsAtServer(): Promise<number> {
      const log = await readFile(plain.logFile, 'utf8')
      return log.split('\n').filter(line => line.includes(`connection authorized: user=${plain.user} `)).length
    }

    before(async function () {
      plain = await startPostgres({ssl: false})
      // counted at the server, not in pg_stat_activity, which forgets a session once it ends
      await plain.query('ALTER SYSTEM SET log_connections = on')
      await plain.query('SELECT pg_reload_conf()')
      // the proxy records each connection's first bytes and passes them on as they are
      proxy = await FaultProxy.start({host: plain.host, port: plain.port})
      restoreDns = installFakeDns({[REMOTE_NAME]: '127.0.0.1'})
    })

    after(async function () {
      restoreDns?.()
      await proxy?.stop()
      await plain?.stop()
    })

    beforeEach(async function () {
      await freshApp()
      proxy.reset()
    })

    it('refuses, having sent nothing but an SSLRequest, whatever sslmode the URL or PGSSLMODE says', async function () {
      const observe: Observe = async () => {
        const seen = proxy.connections.filter(c => !c.sslRequested || c.messages.length > 0 || c.firstBytes.length !== 8)
        const {length} = proxy.connections
        proxy.reset()
        return {connections: length, plaintext: seen.map(c => c.firstBytes.toString('latin1'))}
      }

      const before = await sessionsAtServer()
      expect((await everyMode(withHost(proxy.url(plain.url), REMOTE_NAME, ''), initInProcess, observe)).join('\n')).to.equal('')
      expect(await sessionsAtServer()).to.equal(before)
    })

    it('the same in a real process, where the fake DNS is preloaded', async function () {
      getWorld().api.setDatabaseUrl(APP, 'DATABASE', withHost(proxy.url(plain.url), REMOTE_NAME, 'disable'))
      const preload = pathToFileURL(path.join(ROOT, 'test/support/fake-dns-preload.ts')).href
      const {exitCode, stderr} = await runBin(withApp(['actions:init']), {
        env: {FAKE_DNS: `${REMOTE_NAME}=127.0.0.1`, NODE_OPTIONS: `--import tsx --import ${preload}`, PGSSLMODE: 'disable'},
      })
      expect(exitCode).to.equal(1)
      expect(errorLine(stderr)).to.include(REFUSED)
      expect(proxy.connections.map(c => [c.sslRequested, c.messages.length])).to.deep.equal([[true, 0]])
    })

    it('the detector sees plaintext when there is some: the same server by its loopback address, with PGSSLMODE=disable', async function () {
      getWorld().api.setDatabaseUrl(APP, 'DATABASE', proxy.url(plain.url))
      const before = await sessionsAtServer()
      const {exitCode} = await withSslMode('disable', () => run(withApp(['actions:init'])))
      expect(exitCode).to.equal(0)
      expect(await sessionsAtServer()).to.be.greaterThan(before)
      expect(proxy.connections[0].sslRequested).to.equal(false)
      expect(proxy.connections[0].firstBytes.toString('latin1')).to.include(plain.user)
    })
  })

  describe('a plaintext-only server on a test host in a network namespace this test creates', function () {
    // 42 commands, each a process of its own, each waiting for the server's report
    this.timeout(300_000)
    let host: TestHost

    before(async function () {
      // a namespace needs no root, only Linux with user namespaces; CI must have them
      const why = whyNoTestHost()
      if (why) skipUnlessCi(this, `no network namespace can be made here: ${why}`)
      // the plugin inside asks the Platform API stand-in, on this machine's loopback, for the URL
      host = await createTestHost(5432, [Number(new URL(getWorld().api.url).port)])
    })

    after(async function () {
      await host?.remove()
    })

    /** the server's reports after its first `before`, once there is one (through a pipe: a busy machine may take seconds) */
    async function reportsAfter(before: number): Promise<TestHost['events']> {
      await eventually(() => host.events.length > before || undefined, 15_000, "the server's report").catch(() => {})
      return host.events.slice(before)
    }

    it('refuses, having sent the host nothing but an SSLRequest, whatever sslmode the URL or PGSSLMODE says', async function () {
      await freshApp()
      const init: Init = async mode => {
        const {exitCode, stderr} = await host.runBin(withApp(['actions:init']), {env: {PGSSLMODE: mode}})
        return {exitCode, message: errorLine(stderr)}
      }

      let seen = host.events.length
      const observe: Observe = async () => {
        const events = await reportsAfter(seen)
        seen += events.length
        return {connections: events.length, plaintext: events.flatMap(e => (e.kind === 'plaintext' ? [e.text] : []))}
      }

      const url = withHost(getWorld().pg.url, host.address, '').replace(/:\d+\//, ':5432/')
      expect((await everyMode(url, init, observe)).join('\n')).to.equal('')
      expect(host.events.every(e => e.kind === 'ssl-request')).to.equal(true)
    })

    it('the server there reports plaintext when a client sends it (so the test above can fail)', async function () {
      const before = host.events.length
      const probe = `
        const pg = require('pg')
        const client = new pg.Client({connectionTimeoutMillis: 5000, host: ${JSON.stringify(host.address)}, password: 'x', port: 5432, ssl: false, user: 'probe-user'})
        client.on('error', () => {})
        client.connect().catch(() => {})
      `
      const {exitCode, stderr} = await host.runNode(probe)
      expect({exitCode, stderr}).to.deep.equal({exitCode: 0, stderr: ''})
      const events = await reportsAfter(before)
      expect(events).to.have.length(1)
      expect(events[0]).to.deep.include({kind: 'plaintext'})
      expect(JSON.stringify(events[0])).to.include('probe-user')
    })
  })
})
