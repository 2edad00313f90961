import {expect} from 'chai'
import pg from 'pg'

import {appWithActions} from '../support/actions.js'
import {skipUnlessCi} from '../support/ci.js'
import {errorLine} from '../support/error-line.js'
import {installFakeDns} from '../support/fake-dns.js'
import {atPort, startingUpServer} from '../support/fake-servers.js'
import {FaultProxy} from '../support/fault-proxy.js'
import {createTestHost, UNREACHABLE_ADDRESS, whyNoTestHost} from '../support/netns.js'
import {startPostgres} from '../support/postgres.js'
import {eventually, run, RunResult} from '../support/run.js'
import {actionsInDb, APP, getWorld} from '../support/world.js'

/**
 * What users meet on Heroku, reached for real: server settings a follower or
 * a restricted credential has, a deferred constraint answering COMMIT, the
 * server's own connection refusals, and the Platform API's 403. Each case
 * checks the message and what the table holds.
 */

const ROWS: Array<[string, string, boolean]> = [['deploy', '/api/deploy', false], ['backup', '/api/backup', true]]
const WRITES: string[][] = [
  ['actions:add', 'notify', '/api/notify'],
  ['actions:done', '1'],
  ['actions:update', '1', '--path', '/v2/deploy'],
  ['actions:sql', "INSERT INTO actions (action, path) VALUES ('sql', '/sql')"],
]

function app(argv: string[]): string[] {
  return [...argv, '--app', APP]
}

function configVarReads(): number {
  return getWorld().api.requests.filter(r => r.path.endsWith('/config-vars')).length
}

/** The app's own role, quoted for SQL. */
function role(): string {
  return pg.escapeIdentifier(getWorld().pg.user)
}

/** Refused with exit 1 and a message matching `expected`, the table as it was. */
async function expectRefusedUnchanged(result: RunResult, expected: RegExp, before: unknown): Promise<void> {
  expect(result.exitCode, result.error?.message).to.equal(1)
  expect(result.error?.message).to.match(expected)
  // actions:sql prints each statement's result as it comes, as psql does: its
  // command tags may be out before COMMIT is refused; anything else prints nothing
  expect(result.stdout.replaceAll(/^(INSERT|UPDATE|DELETE) [\d ]+\n/gm, '')).to.equal('')
  expect(await actionsInDb()).to.deep.equal(before)
}

/** An admin session holding an ACCESS EXCLUSIVE lock on actions until released. */
async function lockActions(): Promise<{release(): Promise<void>}> {
  const client = new pg.Client({connectionString: getWorld().pg.adminUrl, ssl: {rejectUnauthorized: false}})
  await client.connect()
  await client.query('BEGIN')
  await client.query('LOCK TABLE actions IN ACCESS EXCLUSIVE MODE')
  return {
    async release() {
      await client.query('ROLLBACK').catch(() => {})
      await client.end()
    },
  }
}

/** The app role's backends waiting on a lock. */
async function waitingBackends(): Promise<number[]> {
  const rows = await getWorld().pg.query<{pid: number}>("SELECT pid FROM pg_stat_activity WHERE usename = $1 AND wait_event_type = 'Lock'", [getWorld().pg.user])
  return rows.map(r => r.pid)
}

describe('what users meet on Heroku', function () {
  this.timeout(120_000)
  let before: Awaited<ReturnType<typeof actionsInDb>>

  beforeEach(async function () {
    await appWithActions(ROWS)
    before = await actionsInDb()
    getWorld().api.requests = []
  })

  describe('statement errors under non-default settings and credentials', function () {
    it('a read-only database (a follower): 25006, said as read-only, for every command that writes', async function () {
      await getWorld().pg.query(`ALTER ROLE ${role()} SET default_transaction_read_only = on`)
      try {
        for (const argv of WRITES.filter(a => a[0] !== 'actions:sql')) {
          await expectRefusedUnchanged(await run(app(argv)), /^the database is read-only \(a follower, or a plan over its row limit\): use the primary database with --database$/, before)
        }
      } finally {
        await getWorld().pg.query(`ALTER ROLE ${role()} RESET default_transaction_read_only`)
      }
    })

    it('a credential that may only read (heroku pg:credentials:create): 42501, said as permission denied', async function () {
      const {api, pg: server} = getWorld()
      const reader = `reader_${Date.now()}`
      const url = new URL(server.url)
      url.username = reader
      url.password = 'reader-password-0123456789'
      await server.query(`CREATE ROLE ${pg.escapeIdentifier(reader)} LOGIN PASSWORD 'reader-password-0123456789'`)
      try {
        await server.query(`GRANT SELECT ON actions TO ${pg.escapeIdentifier(reader)}`)
        api.setDatabaseUrl(APP, 'DATABASE', url.toString())
        expect((await run(app(['actions:list', '--json']))).exitCode).to.equal(0)
        await expectRefusedUnchanged(
          await run(app(['actions:add', 'notify', '/api/notify'])),
          /^permission denied \(permission denied for table actions\): these credentials may not change the actions table; use the app's default credential$/,
          before,
        )
      } finally {
        await server.query(`DROP OWNED BY ${pg.escapeIdentifier(reader)}; DROP ROLE ${pg.escapeIdentifier(reader)}`)
      }
    })

    /** Run `argv` while an admin session holds a lock on actions; once it waits on it, do `to` to its backend. */
    async function whileWaiting(argv: string[], to: (pid: number) => Promise<unknown>): Promise<RunResult> {
      const lock = await lockActions()
      const running = run(app(argv))
      try {
        const [pid] = await eventually(async () => {
          const pids = await waitingBackends()
          return pids.length > 0 ? pids : undefined
        }, 15_000, 'the command waiting on the lock')
        await to(pid)
      } finally {
        // released in any case, so that the command can end
        await lock.release()
      }

      return running
    }

    it('a statement cancelled on the server (pg_cancel_backend, a timeout): 57014, nothing changed', async function () {
      const result = await whileWaiting(['actions:done', '1'], pid => getWorld().pg.query('SELECT pg_cancel_backend($1)', [pid]))
      await expectRefusedUnchanged(result, /^the statement was cancelled \(timeout or interrupt\); nothing was changed$/, before)
    })

    it('the backend terminated by the server (pg_terminate_backend, a restart): 57P01, nothing changed', async function () {
      const result = await whileWaiting(['actions:done', '1'], pid => getWorld().pg.query('SELECT pg_terminate_backend($1)', [pid]))
      await expectRefusedUnchanged(
        result,
        /^the database closed the connection \(terminating connection due to administrator command\): it may be restarting or failing over; try again in a moment$/,
        before,
      )
    })
  })

  it('another backend of the server crashed (the server restarts): 57P02, nothing changed once it is back', async function () {
    // a server of its own: a crash restarts every session on it
    const server = await startPostgres()
    const other = new pg.Client({connectionString: server.adminUrl, ssl: {rejectUnauthorized: false}})
    try {
      getWorld().api.setDatabaseUrl(APP, 'DATABASE', server.url)
      expect((await run(app(['actions:init']))).exitCode).to.equal(0)
      expect((await run(app(['actions:add', 'deploy', '/api/deploy']))).exitCode).to.equal(0)
      const table = async () => server.query('SELECT id, status FROM actions ORDER BY id')
      const rows = await table()
      // test servers run with synchronous_commit off: flushed, the rows outlive the crash
      await server.query('CHECKPOINT')
      await other.connect()
      other.on('error', () => {})
      await other.query('BEGIN')
      await other.query('LOCK TABLE actions IN ACCESS EXCLUSIVE MODE')
      const [{pid: lockHolder}] = (await other.query<{pid: number}>('SELECT pg_backend_pid() AS pid')).rows
      const running = run(app(['actions:done', '1']))
      await eventually(async () => {
        const waiting = await server.query("SELECT 1 FROM pg_stat_activity WHERE usename = $1 AND wait_event_type = 'Lock'", [server.user])
        return waiting.length > 0 ? true : undefined
      }, 15_000, 'the command waiting on the lock')
      // a backend that dies by a signal is a crash: the server ends every session with 57P02 and restarts
      process.kill(lockHolder, 'SIGKILL')
      const result = await running
      expect(result.exitCode).to.equal(1)
      // the server says so as a WARNING before it hangs up, not as an ERROR
      expect(result.error?.message).to.equal('the database closed the connection (terminating connection because of crash of another server process): it is restarting; nothing was changed: try again in a moment')
      expect(result.stdout).to.equal('')
      expect(await eventually(async () => table().catch(() => {}), 30_000, 'the server back after its crash')).to.deep.equal(rows)
    } finally {
      await other.end().catch(() => {})
      await server.stop()
    }
  })

  describe('a deadlock with another session: 40P01', function () {
    /**
     * Another session takes row 2 and, once `argv` holds row 1 and waits on
     * row 2, asks for row 1: a cycle. The other session checks for deadlocks
     * only after a minute, so the server's detector ends the command's side.
     */
    async function deadlocked(argv: string[]): Promise<RunResult> {
      const other = new pg.Client({connectionString: getWorld().pg.adminUrl, ssl: {rejectUnauthorized: false}})
      await other.connect()
      try {
        await other.query("SET deadlock_timeout = '60s'")
        await other.query('BEGIN')
        await other.query("UPDATE actions SET path = '/other' WHERE id = 2")
        const running = run(app(argv))
        await eventually(async () => {
          const pids = await waitingBackends()
          return pids.length > 0 ? pids : undefined
        }, 15_000, 'the command waiting on row 2')
        const closing = other.query("UPDATE actions SET path = '/other' WHERE id = 1")
        const result = await running
        // the command's side was ended, so the other session got row 1
        expect((await closing).rowCount).to.equal(1)
        await other.query('ROLLBACK')
        return result
      } finally {
        await other.end()
      }
    }

    it('a command that writes: said as a conflict to try again, nothing changed', async function () {
      await expectRefusedUnchanged(
        await deadlocked(['actions:done', '1', '2']),
        /^the statement conflicted with another session \(deadlock detected\); nothing was changed: try again$/,
        before,
      )
    })

    it('actions:sql: the statement named, the script to be run again, nothing committed', async function () {
      const result = await deadlocked(['actions:sql', "UPDATE actions SET path = '/sql' WHERE id = 1;\nUPDATE actions SET path = '/sql' WHERE id = 2"])
      expect(result.exitCode).to.equal(1)
      expect(result.error?.message).to.equal("error in statement 2 of 2 (line 2): deadlock detected: it conflicted with another session; run the script again; nothing was committed. The statement: UPDATE actions SET path = '/sql' WHERE id = 2")
      expect(await actionsInDb()).to.deep.equal(before)
    })
  })

  describe('COMMIT answered with an ERROR', function () {
    async function refuseAtCommit(code: string): Promise<void> {
      const {pg: server} = getWorld()
      await server.query(`CREATE OR REPLACE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'refused at commit' USING ERRCODE = '${code}'; END$$`)
      await server.query('CREATE CONSTRAINT TRIGGER refuse AFTER INSERT OR UPDATE ON actions DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_at_commit()')
    }

    afterEach(async function () {
      await getWorld().pg.query('DROP TRIGGER IF EXISTS refuse ON actions; DROP FUNCTION IF EXISTS refuse_at_commit()')
    })

    it('a deferred constraint: every command that writes says the transaction was rolled back, and nothing changed', async function () {
      await refuseAtCommit('23514')
      for (const argv of WRITES) {
        const result = await run(app(argv))
        await expectRefusedUnchanged(result, /^the database refused to commit \(refused at commit, SQLSTATE 23514\) and rolled the transaction back; nothing was changed$/, before)
        expect(result.error?.message).to.not.include('may or may not')
      }
    })

    it('a serialization failure (40001) at COMMIT: rolled back, and the user is told to try again', async function () {
      await refuseAtCommit('40001')
      await expectRefusedUnchanged(
        await run(app(['actions:done', '1'])),
        /^the database refused to commit \(refused at commit, SQLSTATE 40001\) and rolled the transaction back; nothing was changed: try again$/,
        before,
      )
    })
  })

  describe('connecting', function () {
    it('a database name that does not exist: 3D000', async function () {
      const url = new URL(getWorld().pg.url)
      url.pathname = '/no_such_database'
      getWorld().api.setDatabaseUrl(APP, 'DATABASE', url.toString())
      const {error, exitCode} = await run(app(['actions:list']))
      expect(exitCode).to.equal(1)
      expect(error?.message).to.match(/^the database named in the URL does not exist on 127\.0\.0\.1:\d+: check heroku pg:info$/)
    })

    it('a role that may not log in: 28000, without the role name', async function () {
      await getWorld().pg.query(`ALTER ROLE ${role()} NOLOGIN`)
      try {
        const {error, exitCode} = await run(app(['actions:list']))
        expect(exitCode).to.equal(1)
        expect(error?.message).to.match(/^the database at 127\.0\.0\.1:\d+ refused the connection \(role "\[REDACTED\]" is not permitted to log in\): check the credentials with heroku pg:credentials -a APP$/)
      } finally {
        await getWorld().pg.query(`ALTER ROLE ${role()} LOGIN`)
      }
    })

    it('no connection left for the role: 53300', async function () {
      await getWorld().pg.query(`ALTER ROLE ${role()} CONNECTION LIMIT 0`)
      try {
        const {error, exitCode} = await run(app(['actions:list']))
        expect(exitCode).to.equal(1)
        expect(error?.message).to.match(/^the database at 127\.0\.0\.1:\d+ has no free connections: close some \(heroku pg:killall\) or try again later$/)
      } finally {
        await getWorld().pg.query(`ALTER ROLE ${role()} CONNECTION LIMIT -1`)
      }
    })

    it('a host name that does not resolve: ENOTFOUND (fake DNS, no query sent)', async function () {
      const url = new URL(getWorld().pg.url)
      url.hostname = 'ec2-0-0-0-0.compute-1.amazonaws.invalid'
      getWorld().api.setDatabaseUrl(APP, 'DATABASE', url.toString())
      const restore = installFakeDns({})
      let result: RunResult
      try {
        result = await run(app(['actions:list']))
      } finally {
        restore()
      }

      expect(result.exitCode).to.equal(1)
      expect(result.error?.message).to.match(/^could not resolve the database host in ec2-0-0-0-0\.compute-1\.amazonaws\.invalid:\d+: check your network and DNS, then try again$/)
    })

    it('a host the network cannot reach: EHOSTUNREACH (a route that says so, in a namespace of its own)', async function () {
      const why = whyNoTestHost()
      if (why) skipUnlessCi(this, `no network namespace can be made here: ${why}`)
      // the plugin inside asks the Platform API stand-in, on this machine's loopback, for the URL
      const host = await createTestHost(5432, [Number(new URL(getWorld().api.url).port)])
      try {
        const url = new URL(getWorld().pg.url)
        url.hostname = UNREACHABLE_ADDRESS
        url.port = '5432'
        getWorld().api.setDatabaseUrl(APP, 'DATABASE', url.toString())
        const {exitCode, stderr, stdout} = await host.runBin(app(['actions:list']))
        expect(exitCode).to.equal(1)
        expect(stdout).to.equal('')
        expect(errorLine(stderr)).to.equal(`could not reach the database at ${UNREACHABLE_ADDRESS}:5432 (EHOSTUNREACH): check your network, then try again`)
      } finally {
        await host.remove()
      }
    })

    it('a server starting up: 57P03', async function () {
      const starting = await startingUpServer()
      try {
        getWorld().api.setDatabaseUrl(APP, 'DATABASE', atPort(getWorld().pg.url, starting.port))
        const {error, exitCode} = await run(app(['actions:list']))
        expect(exitCode).to.equal(1)
        expect(error?.message).to.equal(`the database at 127.0.0.1:${starting.port} is not accepting connections yet (starting up or failing over): try again in a moment`)
      } finally {
        await starting.stop()
      }
    })
  })

  describe('info --wait, and connecting with fresh credentials', function () {
    it('waits through 57P03 (a server starting up, then failing over to another host) and reports once it is up', async function () {
      const starting = await startingUpServer()
      try {
        const {api, pg: server} = getWorld()
        api.setDatabaseUrl(APP, 'DATABASE', atPort(server.url, starting.port))
        // the third read of the config vars gives the database's new place, as after a failover
        api.setDatabaseUrlAfter(APP, 'DATABASE', server.url, 2)
        const {exitCode, stderr, stdout} = await run(app(['actions:info', '--wait', '--wait-timeout', '60', '--json']))
        expect(exitCode, stderr).to.equal(0)
        expect(JSON.parse(stdout)).to.be.an('object')
        expect(configVarReads()).to.be.at.least(3)
      } finally {
        await starting.stop()
      }
    })

    it('waits through 53300 (no free connections) until one is free', async function () {
      const {pg: server} = getWorld()
      await server.query(`ALTER ROLE ${role()} CONNECTION LIMIT 0`)
      let result: RunResult
      try {
        const running = run(app(['actions:info', '--wait', '--wait-timeout', '60', '--json']))
        await eventually(() => (configVarReads() >= 2 ? true : undefined), 30_000, 'a second try')
        await server.query(`ALTER ROLE ${role()} CONNECTION LIMIT -1`)
        result = await running
      } finally {
        await server.query(`ALTER ROLE ${role()} CONNECTION LIMIT -1`)
      }

      expect(result.exitCode, result.error?.message).to.equal(0)
    })

    it('under --wait, an error that waiting cannot mend (3D000) fails at once, after one try', async function () {
      const url = new URL(getWorld().pg.url)
      url.pathname = '/no_such_database'
      getWorld().api.setDatabaseUrl(APP, 'DATABASE', url.toString())
      const {error, exitCode} = await run(app(['actions:info', '--wait', '--wait-timeout', '60']))
      expect(exitCode).to.equal(1)
      expect(error?.message).to.match(/^the database named in the URL does not exist on/)
      expect(configVarReads()).to.equal(1)
    })

    it('after a credential rejection (28P01), the retry with fresh credentials reports its own, different error', async function () {
      const {api, pg: server} = getWorld()
      const stale = new URL(server.url)
      stale.password = 'a-password-rotated-away-0123'
      const moved = new URL(server.url)
      moved.pathname = '/no_such_database'
      api.setDatabaseUrl(APP, 'DATABASE', stale.toString())
      api.setDatabaseUrlAfter(APP, 'DATABASE', moved.toString(), 1)
      const {error, exitCode} = await run(app(['actions:list']))
      expect(exitCode).to.equal(1)
      expect(error?.message).to.match(/^the database named in the URL does not exist on/)
      expect(configVarReads()).to.equal(2)
    })
  })

  it('the Platform API refuses access to a team app (403): said so, nothing asked of the database', async function () {
    const {api, pg: server} = getWorld()
    const proxy = await FaultProxy.start({host: server.host, port: server.port})
    try {
      api.setDatabaseUrl(APP, 'DATABASE', proxy.url(server.url))
      api.failNext(403)
      const {error, exitCode, stdout} = await run(app(['actions:add', 'notify', '/api/notify']))
      expect(exitCode).to.equal(1)
      expect(error?.message).to.equal("access to example-app was denied (You do not have access to the app): ask the app's owner for access, or check heroku access -a example-app")
      expect(stdout).to.equal('')
      expect(proxy.connections).to.deep.equal([])
      expect(await actionsInDb()).to.deep.equal(before)
    } finally {
      await proxy.stop()
    }
  })
})
