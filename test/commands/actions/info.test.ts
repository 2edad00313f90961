import {expect} from 'chai'

import {appWithActions} from '../../support/actions.js'
import {atPort, closedPort} from '../../support/fake-servers.js'
import {run} from '../../support/run.js'
import {APP, freshApp, getWorld} from '../../support/world.js'

describe('actions:info', function () {
  it('shows the add-on, server version, TLS, latency and the actions table', async function () {
    await appWithActions([['a', '/a'], ['b', '/b', true], ['c', '/c']])
    const {exitCode, stdout} = await run(['actions:info', '--app', APP])
    expect(exitCode).to.equal(0)
    const lines = stdout.split('\n')
    // the look of heroku pg:info (hux): the heading, a blank line, aligned "Key: value" lines
    expect(lines[0]).to.equal('=== DATABASE on example-app')
    expect(lines[1]).to.equal('')
    expect(lines[2]).to.match(/^Add-on: +postgresql-\w+-\d+ \(heroku-postgresql:essential-0\)$/)
    expect(lines[3]).to.match(/^Server: +PostgreSQL \d+/)
    expect(lines[4]).to.match(/^Encryption: +TLSv1\.[23], \S+ \(\d+ bits\)$/)
    expect(lines[5]).to.match(/^Latency: +[\d.]+ ms round trip$/)
    expect(lines[6]).to.match(/^Actions: +schema version 3, 2 pending, 1 done$/)
    expect(lines[7]).to.equal('')
  })

  it('prints JSON, and says there is no table yet', async function () {
    await freshApp()
    const {exitCode, stdout} = await run(['actions:info', '--app', APP, '--json'])
    expect(exitCode).to.equal(0)
    const info = JSON.parse(stdout)
    const [{version}] = await getWorld().pg.query<{version: string}>('SELECT version()')
    expect(info).to.include({
      app: APP, attachment: 'DATABASE', plan: 'heroku-postgresql:essential-0', server_version: version,
    })
    expect(info.encryption.protocol).to.match(/^TLSv1\.[23]$/)
    expect(info.latency_ms).to.be.a('number')
    expect(info.actions).to.deep.equal({
      done: null, exists: false, latest_schema_version: 3, pending: null, schema_version: null,
    })
    const text = await run(['actions:info', '--app', APP])
    expect(text.stdout).to.include('no actions table: create it with heroku actions:init -a example-app')
  })

  it("recognises the tutorial's table and says how to upgrade it", async function () {
    const {pg} = await freshApp()
    await pg.query('CREATE TABLE actions (action VARCHAR(255) NOT NULL, path VARCHAR(255) NOT NULL, status BOOLEAN NOT NULL DEFAULT FALSE)')
    await pg.query(`ALTER TABLE actions OWNER TO "${pg.user}"`)
    await pg.query("INSERT INTO actions VALUES ('a', '/a', true)")
    const {exitCode, stdout} = await run(['actions:info', '--app', APP])
    expect(exitCode).to.equal(0)
    expect(stdout).to.include("the tutorial's table, 0 pending, 1 done; upgrade it with heroku actions:init -a example-app")
  })

  it('says when a table named actions is not one it manages', async function () {
    const {pg} = await freshApp()
    await pg.query('CREATE TABLE actions (name text)')
    await pg.query(`ALTER TABLE actions OWNER TO "${pg.user}"`)
    const {exitCode, stdout} = await run(['actions:info', '--app', APP])
    expect(exitCode).to.equal(0)
    expect(stdout).to.include('a table named actions of another shape')
  })

  it('exits 1 with the reason when the database cannot be reached', async function () {
    const port = await closedPort()
    await freshApp([{attachment: 'DATABASE', url: atPort(getWorld().pg.url, port)}])
    const {error, exitCode, stdout} = await run(['actions:info', '--app', APP])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(error?.message).to.include(`could not connect to the database at 127.0.0.1:${port}: connection refused`)
  })

  it('waits with --wait until the database accepts connections, asking the API for the URL each time', async function () {
    const {api, pg} = await freshApp()
    api.setDatabaseUrl(APP, 'DATABASE', atPort(pg.url, await closedPort()))
    // the "failover" ends a moment later, at another address
    const moved = setTimeout(() => api.setDatabaseUrl(APP, 'DATABASE', pg.url), 1200)
    try {
      const {exitCode, stderr, stdout} = await run(['actions:info', '--app', APP, '--wait', '--wait-timeout', '20'])
      expect(exitCode, stderr).to.equal(0)
      expect(stdout).to.include('Server:')
      expect(api.requests.filter(r => r.path.endsWith('/config-vars')).length).to.be.greaterThan(1)
    } finally {
      clearTimeout(moved)
    }
  })

  it('gives up waiting after --wait-timeout', async function () {
    const {api, pg} = await freshApp()
    const port = await closedPort()
    api.setDatabaseUrl(APP, 'DATABASE', atPort(pg.url, port))
    const {error, exitCode} = await run(['actions:info', '--app', APP, '--wait', '--wait-timeout', '1'])
    expect(exitCode).to.equal(1)
    expect(error?.message).to.include(`gave up after waiting 1 s: could not connect to the database at 127.0.0.1:${port}`)
  })
})
