import {expect} from 'chai'

import {appWithActions} from './support/actions.js'
import {snapshotEnv} from './support/env.js'
import {
  atPort, closedPort, silentServer,
} from './support/fake-servers.js'
import {FaultProxy} from './support/fault-proxy.js'
import {run} from './support/run.js'
import {APP, getWorld} from './support/world.js'

function configVarReads(): number {
  return getWorld().api.requests.filter(r => r.path.endsWith('/config-vars')).length
}

/** Nothing the user sees may hold the database password or user name. */
function expectNoCredentials(...texts: Array<string | undefined>): void {
  const {pg} = getWorld()
  for (const text of texts) {
    expect(text ?? '').not.to.include(pg.password)
    expect(text ?? '').not.to.include(pg.user)
  }
}

describe('resolving and connecting: rotation, outages and retries', function () {
  let restoreEnv: () => void

  beforeEach(async function () {
    restoreEnv = snapshotEnv()
    await appWithActions([['deploy', '/api/deploy']])
    process.env.HEROKU_ACTIONS_RETRY_DELAY_MS = '5'
  })

  afterEach(function () {
    restoreEnv()
  })

  describe('rotated credentials', function () {
    it('uses the new credentials on the next command after a rotation', async function () {
      const {api, pg} = getWorld()
      expect((await run(['actions:list', '--app', APP])).exitCode).to.equal(0)
      api.setDatabaseUrl(APP, 'DATABASE', await pg.rotatePassword())
      const {exitCode, stdout} = await run(['actions:list', '--app', APP])
      expect(exitCode).to.equal(0)
      expect(stdout).to.include('deploy')
    })

    it('resolves the URL again, once, when the password changed after it was fetched', async function () {
      const {api, pg} = getWorld()
      // the API hands out the old URL once more, then the new one
      api.setDatabaseUrlAfter(APP, 'DATABASE', await pg.rotatePassword(), 1)
      api.requests = []
      const {exitCode, stdout} = await run(['actions:add', 'backup', '/api/backup', '--app', APP])
      expect(exitCode).to.equal(0)
      expect(stdout).to.include('backup')
      expect(configVarReads()).to.equal(2)
      expect(await pg.query('SELECT count(*)::int AS n FROM actions')).to.deep.equal([{n: 2}])
    })

    it('gives up after one retry, saying the credentials may be mid-rotation', async function () {
      const {api, pg} = getWorld()
      await pg.rotatePassword() // the API keeps the old URL
      api.requests = []
      const {error, exitCode, stderr, stdout} = await run(['actions:add', 'backup', '/api/backup', '--app', APP])
      expect(exitCode).to.equal(1)
      expect(error?.message).to.include('rejected its credentials again after fetching them anew')
      expect(error?.message).to.include('rotation')
      expect(configVarReads()).to.equal(2)
      expectNoCredentials(error?.message, stderr, stdout)
      expect(await pg.query('SELECT count(*)::int AS n FROM actions')).to.deep.equal([{n: 1}])
    })
  })

  describe('the Platform API failing', function () {
    it('retries 429 and 503 answers and then goes on', async function () {
      const {api} = getWorld()
      api.requests = []
      api.failNext(429, 2)
      const limited = await run(['actions:list', '--app', APP, '--json'])
      expect(limited.exitCode, limited.stderr).to.equal(0)
      expect(JSON.parse(limited.stdout)).to.have.length(1)
      api.failNext(503, 3)
      const unavailable = await run(['actions:list', '--app', APP, '--json'])
      expect(unavailable.exitCode, unavailable.stderr).to.equal(0)
    })

    it('stops after a few tries with a clear error, connecting to nothing', async function () {
      const {api, pg} = getWorld()
      // the database is reachable only through this proxy, which records every connection
      const proxy = await FaultProxy.start({host: pg.host, port: pg.port})
      try {
        api.setDatabaseUrl(APP, 'DATABASE', proxy.url(pg.url))
        // the proxy does see the command's connections when the API answers
        expect((await run(['actions:list', '--app', APP])).exitCode).to.equal(0)
        expect(proxy.connections).to.have.length.greaterThan(0)
        proxy.reset()
        api.requests = []
        api.failNext(503, 50)
        const {error, exitCode} = await run(['actions:list', '--app', APP])
        expect(exitCode).to.equal(1)
        expect(error?.message).to.equal('the Heroku Platform API failed (HTTP 503), also after a few retries: try again in a moment, or check status.heroku.com')
        // 4 tries of the attachment; the config vars, asked at the same time, stop being retried once it failed
        const paths = () => api.requests.map(r => r.path)
        expect(paths().filter(path => path === '/actions/addon-attachments/resolve')).to.have.length(4)
        const configTries = paths().filter(path => path === `/apps/${APP}/config-vars`).length
        expect(configTries).to.be.within(1, 4)
        expect(paths()).to.have.length(4 + configTries)
        // and nothing of the command is still asking after it returned
        await new Promise(resolve => {
          setTimeout(resolve, 200)
        })
        expect(paths()).to.have.length(4 + configTries)
        expect(proxy.connections).to.deep.equal([])
      } finally {
        await proxy.stop()
      }
    })

    it('stops asking for the config vars once the attachment failed for good', async function () {
      const {api} = getWorld()
      api.requests = []
      // each config vars try is answered "come back in a second"
      api.failNext(503, 50, {'Retry-After': '1'}, `/apps/${APP}/config-vars`)
      api.failNext(404, 1, undefined, '/actions/addon-attachments/resolve')
      api.failNext(404, 1, undefined, `/apps/${APP}/addon-attachments`)
      const {exitCode} = await run(['actions:list', '--app', APP])
      expect(exitCode).to.equal(1)
      const asked = api.requests.length
      await new Promise(resolve => {
        setTimeout(resolve, 1500)
      })
      expect(api.requests.length, 'requests after the command ended').to.equal(asked)
      expect(api.requests.filter(r => r.path === `/apps/${APP}/config-vars`).length).to.be.lessThan(4)
    })

    it('does not wait when Retry-After asks for longer than it is willing to', async function () {
      const {api} = getWorld()
      api.requests = []
      api.failNext(429, 5, {'Retry-After': '3600'})
      const {error, exitCode} = await run(['actions:list', '--app', APP])
      expect(exitCode).to.equal(1)
      expect(error?.message).to.include('rate limit')
      // one try each of the two calls made at once
      expect(api.requests).to.have.length(2)
    })

    it('names the API host it could not reach', async function () {
      const port = await closedPort()
      process.env.HEROKU_HOST = `http://127.0.0.1:${port}`
      const {error, exitCode} = await run(['actions:list', '--app', APP])
      expect(exitCode).to.equal(1)
      expect(error?.message).to.equal(`could not reach the Heroku Platform API at 127.0.0.1:${port} (ECONNREFUSED): check your network and try again`)
    })
  })

  describe('the database not accepting connections', function () {
    it('says the connection was refused, naming host and port and no credentials', async function () {
      const port = await closedPort()
      getWorld().api.setDatabaseUrl(APP, 'DATABASE', atPort(getWorld().pg.url, port))
      const {error, exitCode, stderr} = await run(['actions:list', '--app', APP])
      expect(exitCode).to.equal(1)
      expect(error?.message).to.include(`could not connect to the database at 127.0.0.1:${port}: connection refused`)
      expectNoCredentials(error?.message, stderr)
    })

    it('gives up after the connect timeout on a database that never answers', async function () {
      const server = await silentServer()
      try {
        getWorld().api.setDatabaseUrl(APP, 'DATABASE', atPort(getWorld().pg.url, server.port))
        process.env.PGCONNECT_TIMEOUT = '1'
        const {error, exitCode} = await run(['actions:list', '--app', APP])
        expect(exitCode).to.equal(1)
        expect(error?.message).to.include(`timed out after 1 s connecting to the database at 127.0.0.1:${server.port}`)
      } finally {
        await server.stop()
      }
    })
  })
})
