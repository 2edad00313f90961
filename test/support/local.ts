import {existsSync, readFileSync, realpathSync} from 'node:fs'
import {chmod, mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'

import {DATA_DIR_ENV} from '../../src/lib/local/layout.js'
import {LocalDatabase} from '../../src/lib/local/local-database.js'
import {emergencyStop} from './postgres.js'

/** A data directory for local mode in a new temporary folder (readable by the server's OS user when root). */
export async function tempDataDir(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'heroku-actions-local-'))
  await chmod(root, 0o755)
  return path.join(root, 'data')
}

export async function removeDataDir(dataDir: string): Promise<void> {
  await new LocalDatabase(dataDir).stop().catch(() => {})
  const server = path.join(dataDir, 'server')
  // a cluster moved out of reach of the data directory (root) goes too
  const home = existsSync(server) ? realpathSync(server) : undefined
  if (home && !home.startsWith(path.dirname(dataDir))) await rm(home, {force: true, recursive: true})
  await rm(path.dirname(dataDir), {force: true, recursive: true})
}

/** Run SQL on the local database of `dataDir` as its owner, on a fresh connection. */
export async function localQuery<T>(url: string, sql: string, params?: unknown[]): Promise<T[]> {
  const client = new pg.Client({connectionString: url, ssl: {rejectUnauthorized: false}})
  await client.connect()
  try {
    return (await client.query(sql, params)).rows as T[]
  } finally {
    await client.end()
  }
}

/** The pid of the running server of `dataDir`, or undefined. */
export function serverPid(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(path.join(dataDir, 'server', 'data', 'postmaster.pid'), 'utf8').split('\n')[0])
  } catch {
    return undefined
  }
}

/**
 * The local database every test shares: one cluster in a temporary data
 * directory (HEROKU_ACTIONS_DATA_DIR, so in-process and subprocess commands
 * find it), started on first use and kept running, so --local commands do not
 * each start and stop it. The start-and-stop path has its own tests.
 */
export class SharedLocal {
  private started: Promise<string> | undefined

  constructor(readonly dataDir: string) {}

  private readonly onExit = (): void => emergencyStop(path.join(this.dataDir, 'server', 'data'), path.dirname(this.dataDir))

  static async create(): Promise<SharedLocal> {
    const local = new SharedLocal(await tempDataDir())
    process.env[DATA_DIR_ENV] = local.dataDir
    process.on('exit', local.onExit)
    return local
  }

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    return localQuery<T>(await this.url(), sql, params)
  }

  async stop(): Promise<void> {
    if (process.env[DATA_DIR_ENV] === this.dataDir) delete process.env[DATA_DIR_ENV]
    process.off('exit', this.onExit)
    await removeDataDir(this.dataDir)
  }

  url(): Promise<string> {
    this.started ??= new LocalDatabase(this.dataDir).keepRunning().then(({url}) => url)
    return this.started
  }
}
