import {randomBytes} from 'node:crypto'
import {existsSync, readFileSync, rmSync} from 'node:fs'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'

import {findBinaries} from '../../src/lib/local/binaries.js'
import {Cluster, PortInUseError} from '../../src/lib/local/cluster.js'
import {freePort, HOST} from '../../src/lib/local/processes.js'
import {reachableBinaries, SHARED_BASE} from '../../src/lib/local/reachable.js'
import {giveTo, serverUser} from '../../src/lib/local/server-user.js'

export interface TestPostgres {
  adminUrl: string
  /** the server's self-signed certificate (CN=localhost), to trust with PGSSLROOTCERT; undefined without SSL */
  certFile?: string
  /** create a fresh empty database owned by `user`, return its URL (same credentials) */
  createDatabase(name: string): Promise<string>
  database: string
  dataDir: string
  host: string
  /** the server's log (log_connections etc. land here) */
  logFile: string
  password: string
  port: number
  /** run SQL as superuser over SSL (rejectUnauthorized false) in `database`, each call on a fresh connection; returns rows */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
  /** ALTER ROLE user PASSWORD newPassword; updates this.password/this.url; returns new url */
  rotatePassword(newPassword?: string): Promise<string>
  /** ALTER ROLE user RENAME TO newUser, then a new password (renaming clears an MD5 one); updates user/password/url; returns new url */
  rotateUser(newUser?: string, newPassword?: string): Promise<string>
  stop(): Promise<void>
  url: string
  user: string
}

const ADMIN_USER = 'postgres'
const LOG_LINES = 40

function secret(): string {
  return randomBytes(18).toString('hex')
}

function buildUrl(user: string, password: string, port: number, database: string): string {
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${HOST}:${port}/${encodeURIComponent(database)}`
}

/**
 * A throwaway server for tests: the plugin's own cluster code (src/lib/local)
 * in a temporary directory, on a free port, with durability off for speed,
 * a non-superuser role owning one database (as on Heroku), removed on stop().
 */
export async function startPostgres(options: {ssl?: boolean} = {}): Promise<TestPostgres> {
  const ssl = options.ssl ?? true
  const owner = await serverUser()
  const binaries = await reachableBinaries(await findBinaries(), owner, SHARED_BASE, line => process.stderr.write(`${line}\n`))
  // The server runs as `postgres` when we are root; /tmp is world-traversable, so owning the temp dir is enough.
  const root = await mkdtemp(path.join(os.tmpdir(), 'heroku-actions-pg-'))
  await giveTo(owner, root)
  const cluster = new Cluster(path.join(root, 'cluster'), binaries, owner)
  const adminPassword = secret()
  let stopped = false
  const onExit = (): void => emergencyStop(cluster.dataDir, root)
  process.on('exit', onExit)

  const cleanup = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    process.off('exit', onExit)
    try {
      await cluster.stop()
    } finally {
      await rm(root, {force: true, recursive: true})
    }
  }

  const fail = async (what: string, error: unknown): Promise<never> => {
    const log = await readFile(cluster.logFile, 'utf8').catch(() => '')
    await cleanup().catch(() => {})
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`${what}: ${reason}\n--- postgres log tail ---\n${log.split('\n').slice(-LOG_LINES).join('\n')}`)
  }

  try {
    await cluster.initialise({
      password: adminPassword,
      // Durability is irrelevant for throwaway test data and costs startup and query time.
      settings: {fsync: 'off', full_page_writes: 'off', synchronous_commit: 'off'},
      ssl,
      superuser: ADMIN_USER,
      sync: false,
    })
  } catch (error) {
    return fail('PostgreSQL test server: initdb failed', error)
  }

  let port = 0
  // A port found free can be taken before the server binds it; try a few times.
  for (let attempt = 1; ; attempt++) {
    port = await freePort()
    try {
      await cluster.start(port)
      break
    } catch (error) {
      if (!(error instanceof PortInUseError) || attempt >= 3) return fail('PostgreSQL test server: starting the server failed', error)
    }
  }

  const clientSsl = ssl ? {rejectUnauthorized: false} : false
  const user = `app_${randomBytes(4).toString('hex')}`
  const database = `db_${randomBytes(4).toString('hex')}`
  const adminConfig = (db: string): pg.ClientConfig => ({
    database: db, host: HOST, password: adminPassword, port, ssl: clientSsl, user: ADMIN_USER,
  })

  const adminQuery = async <T>(db: string, sql: string, params?: unknown[]): Promise<T[]> => {
    const client = new pg.Client(adminConfig(db))
    await client.connect()
    try {
      const result = await client.query(sql, params)
      return result.rows as T[]
    } finally {
      await client.end()
    }
  }

  const createOwnedDatabase = async (name: string, owner: string): Promise<void> => {
    await adminQuery('postgres', `CREATE DATABASE ${pg.escapeIdentifier(name)} OWNER ${pg.escapeIdentifier(owner)}`)
  }

  const password = secret()
  try {
    // NOSUPERUSER etc. are defaults, but Heroku's roles are ordinary ones and tests rely on it.
    await adminQuery(
      'postgres',
      `CREATE ROLE ${pg.escapeIdentifier(user)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${pg.escapeLiteral(password)}`,
    )
    await createOwnedDatabase(database, user)
  } catch (error) {
    return fail('setting up the test role and database failed', error)
  }

  const instance: TestPostgres = {
    adminUrl: buildUrl(ADMIN_USER, adminPassword, port, database),
    certFile: ssl ? path.join(cluster.dataDir, 'server.crt') : undefined,
    async createDatabase(name: string): Promise<string> {
      await createOwnedDatabase(name, instance.user)
      return buildUrl(instance.user, instance.password, port, name)
    },
    database,
    dataDir: cluster.dataDir,
    host: HOST,
    logFile: cluster.logFile,
    password,
    port,
    query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
      return adminQuery<T>(database, sql, params)
    },
    async rotatePassword(newPassword?: string): Promise<string> {
      const next = newPassword ?? secret()
      await adminQuery('postgres', `ALTER ROLE ${pg.escapeIdentifier(instance.user)} PASSWORD ${pg.escapeLiteral(next)}`)
      instance.password = next
      instance.url = buildUrl(instance.user, next, port, database)
      return instance.url
    },
    async rotateUser(newUser?: string, newPassword?: string): Promise<string> {
      const next = newUser ?? `app_${randomBytes(4).toString('hex')}`
      await adminQuery('postgres', `ALTER ROLE ${pg.escapeIdentifier(instance.user)} RENAME TO ${pg.escapeIdentifier(next)}`)
      instance.user = next
      return instance.rotatePassword(newPassword)
    },
    stop: cleanup,
    url: buildUrl(user, password, port, database),
    user,
  }
  return instance
}

/**
 * Runs inside process 'exit', where nothing asynchronous happens: signal the
 * postmaster (its pid is the first line of postmaster.pid), give it a moment
 * to exit and remove that file, then delete everything.
 */
export function emergencyStop(dataDir: string, root: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid')
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0])
    if (pid > 0) process.kill(pid, 'SIGQUIT')
    const deadline = Date.now() + 2000
    const pause = new Int32Array(new SharedArrayBuffer(4))
    while (existsSync(pidFile) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 20)
  } catch {
    // no server running, or it is already gone
  }

  try {
    rmSync(root, {force: true, recursive: true})
  } catch {
    // best effort: the OS cleans the temp dir eventually
  }
}
