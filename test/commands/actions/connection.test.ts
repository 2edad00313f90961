import {expect} from 'chai'
import pg from 'pg'

import {appWithActions} from '../../support/actions.js'
import {expectRefusal} from '../../support/refusal.js'
import {eventually, run, runBin} from '../../support/run.js'
import {silentServer} from '../../support/tcp.js'
import {
  actionsInDb, APP, freshApp, getWorld,
} from '../../support/world.js'

interface Backend {
  application_name: string
  ssl: boolean
  usename: string
  wait_event_type: null | string
}

/** The server's view of the app's database, asked from a connection to another database so it does not count itself. */
async function serverView<T>(sql: string): Promise<T[]> {
  const url = new URL(getWorld().pg.adminUrl)
  url.pathname = '/postgres'
  const client = new pg.Client({connectionString: url.toString(), ssl: {rejectUnauthorized: false}})
  await client.connect()
  try {
    return (await client.query(sql, [getWorld().pg.database])).rows as T[]
  } finally {
    await client.end()
  }
}

async function backends(): Promise<Backend[]> {
  return serverView<Backend>(`SELECT a.application_name, s.ssl, a.usename, a.wait_event_type
    FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.datname = $1 AND a.backend_type = 'client backend'`)
}

/** Sessions ever opened on the app's database (counted by the server once a backend has gone). */
async function sessions(): Promise<number> {
  const [row] = await serverView<{sessions: string}>('SELECT sessions FROM pg_stat_database WHERE datname = $1')
  return Number(row.sessions)
}

/** Wait until no client is connected to the app's database; those left over. */
async function connectionsLeft(): Promise<Backend[]> {
  try {
    return await eventually(async () => {
      const left = await backends()
      return left.length === 0 ? left : undefined
    }, 5000, 'the connections to close')
  } catch {
    return backends()
  }
}

/** Run a command in this process and count the connections it opened on the app's database. */
async function connectionsOf(argv: string[]): Promise<{exitCode: number; left: Backend[]; opened: number; stderr: string}> {
  expect(await connectionsLeft()).to.deep.equal([])
  const before = await sessions()
  const {exitCode, stderr} = await run(argv)
  // a connection the command forgot to close would stay here until this process exits
  const left = await connectionsLeft()
  return {
    exitCode, left, opened: (await sessions()) - before, stderr,
  }
}

describe('the database connection of a command', function () {
  const SUCCEEDING = [
    ['actions:init'],
    ['actions:list', '--json'],
    ['actions:add', 'deploy', '/api/deploy'],
    ['actions:update', '1', '--done'],
    ['actions:done', '1', '2'],
    ['actions:remove', '3', '--confirm', APP],
  ]

  for (const [id, ...rest] of SUCCEEDING) {
    it(`${id}: exactly one connection, closed when it is done`, async function () {
      await appWithActions([['a', '/a'], ['b', '/b'], ['c', '/c']])
      const {exitCode, left, opened, stderr} = await connectionsOf([id, ...rest, '--app', APP])
      expect(exitCode, stderr).to.equal(0)
      expect(left).to.deep.equal([])
      expect(opened).to.equal(1)
    })
  }

  const FAILING: Array<[string, string[], () => Promise<void>]> = [
    ['the table is missing', ['actions:list'], async () => {
      await freshApp()
    }],
    ['an id does not exist', ['actions:done', '1', '99'], () => appWithActions([['a', '/a']])],
    ['a value is refused', ['actions:update', '1', '--path', 'x'.repeat(300)], () => appWithActions([['a', '/a']])],
  ]

  for (const [when, argv, setup] of FAILING) {
    it(`closes its one connection also when ${when}`, async function () {
      await setup()
      const {exitCode, left, opened} = await connectionsOf([...argv, '--app', APP])
      expect(exitCode).to.equal(1)
      expect(left).to.deep.equal([])
      expect(opened).to.equal(1)
    })
  }

  for (const [id, table] of [['actions:list', 'actions'], ['actions:init', 'heroku_actions_migrations']]) {
    it(`${id} is one SSL connection named heroku-actions while it works`, async function () {
      await appWithActions([['a', '/a']])
      const {pg: server} = getWorld()
      const locker = new pg.Client({connectionString: server.adminUrl, ssl: {rejectUnauthorized: false}})
      await locker.connect()
      let during: Backend[] | undefined
      let pending: ReturnType<typeof run> | undefined
      try {
        await locker.query('BEGIN')
        await locker.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`)
        pending = run([id, '--app', APP])
        during = await eventually(async () => {
          const mine = (await backends()).filter(b => b.usename === server.user)
          return mine.some(b => b.wait_event_type === 'Lock') ? mine : undefined
        }, 5000, `${id} to wait for the lock`)
      } finally {
        await locker.query('COMMIT').catch(() => {})
        await locker.end()
      }

      const result = await pending
      expect(result?.exitCode, result?.stderr).to.equal(0)
      expect(during).to.deep.equal([{
        application_name: 'heroku-actions', ssl: true, usename: server.user, wait_event_type: 'Lock',
      }])
    })
  }

  describe('SSL and timeouts, through bin/run.js', function () {
    it('ignores an sslmode in the URL from the Platform API', async function () {
      const {api, pg: server} = await freshApp()
      api.setDatabaseUrl(APP, 'DATABASE', `${server.url}?sslmode=require`)
      const init = await runBin(['actions:init', '--app', APP])
      expect(init.exitCode, init.stderr).to.equal(0)
      api.setDatabaseUrl(APP, 'DATABASE', `${server.url}?sslmode=disable&ssl=false`)
      const add = await runBin(['actions:add', 'deploy', '/api/deploy', '--app', APP])
      expect(add.exitCode, add.stderr).to.equal(0)
      expect(await actionsInDb()).to.have.length(1)
    })

    it('refuses the self-signed certificate under PGSSLMODE=verify-full, in one line', async function () {
      await freshApp()
      expectRefusal(
        await runBin(['actions:init', '--app', APP], {env: {PGSSLMODE: 'verify-full'}}),
        /the database's TLS certificate could not be verified \(\w+\); Heroku's default certificates need PGSSLMODE=require/,
      )
      expect(await getWorld().pg.query("SELECT to_regclass('public.actions') AS t")).to.deep.equal([{t: null}])
    })

    it('verifies the certificate under PGSSLMODE=verify-full with PGSSLROOTCERT and a matching host name', async function () {
      const {api, pg: server} = await freshApp()
      const url = new URL(server.url)
      url.hostname = 'localhost'
      api.setDatabaseUrl(APP, 'DATABASE', url.toString())
      const result = await runBin(['actions:init', '--app', APP], {env: {PGSSLMODE: 'verify-full', PGSSLROOTCERT: server.certFile}})
      expect(result.exitCode, result.stderr).to.equal(0)
      expect(await actionsInDb()).to.deep.equal([])
    })

    it('gives up after PGCONNECT_TIMEOUT with one line naming host and port', async function () {
      const trap = await silentServer()
      try {
        const {api} = await freshApp()
        const url = `postgres://u_timeout_1:p_timeout_secret@127.0.0.1:${trap.port}/d_timeout`
        api.setDatabaseUrl(APP, 'DATABASE', url)
        const result = await runBin(['actions:list', '--app', APP], {env: {PGCONNECT_TIMEOUT: '1'}})
        expectRefusal(result, `timed out after 1 s connecting to the database at 127.0.0.1:${trap.port}`, [url, 'u_timeout_1', 'p_timeout_secret'])
        expect(trap.connections).to.equal(1)
      } finally {
        await trap.close()
      }
    })
  })
})
