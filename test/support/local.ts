import {spawn} from 'node:child_process'
import {existsSync, readFileSync, realpathSync} from 'node:fs'
import {chmod, mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {DATA_DIR_ENV} from '../../src/lib/local/layout.js'
import {LocalDatabase} from '../../src/lib/local/local-database.js'
import {queryUrl} from './databases.js'
import {emergencyStop} from './postgres.js'
import {
  ROOT, run, runBin, RunResult, SpawnOptions,
} from './run.js'

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
  private readonly onExit = (): void => emergencyStop(path.join(this.dataDir, 'server', 'data'), path.dirname(this.dataDir))
  private started: Promise<string> | undefined

  constructor(readonly dataDir: string) {}

  static async create(): Promise<SharedLocal> {
    const local = new SharedLocal(await tempDataDir())
    process.env[DATA_DIR_ENV] = local.dataDir
    process.on('exit', local.onExit)
    return local
  }

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    return queryUrl<T>(await this.url(), sql, params)
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

/** A separate process that uses the local database of `dataDir` (a --local command in the middle of its work) until it gets a signal. */
export function holdLocal(dataDir: string): Promise<{kill(signal: NodeJS.Signals): Promise<void>; pid: number}> {
  const source = `
    import {LocalDatabase} from ${JSON.stringify(path.join(ROOT, 'src/lib/local/local-database.ts'))}
    await new LocalDatabase(${JSON.stringify(dataDir)}).acquire()
    console.log('acquired')
    setInterval(() => {}, 1000)
  `
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {stdio: ['ignore', 'pipe', 'inherit']})
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve({
      async kill(signal: NodeJS.Signals) {
        const closed = new Promise(done => {
          child.once('close', done)
        })
        child.kill(signal)
        await closed
      },
      pid: child.pid!,
    }))
    child.once('close', code => reject(new Error(`the holder exited with ${code}`)))
  })
}

/** Run a command in process with local mode's data in `dataDir` (commands read the variable when they run). */
export async function runIn(dataDir: string, argv: string[]): Promise<RunResult> {
  const saved = process.env[DATA_DIR_ENV]
  process.env[DATA_DIR_ENV] = dataDir
  try {
    return await run(argv)
  } finally {
    process.env[DATA_DIR_ENV] = saved
  }
}

export interface DataDirUse {
  /** run bin/run.js with local mode's data in this directory */
  bin(argv: string[], options?: SpawnOptions): Promise<RunResult>
  /** the data directory (set once the hook has run) */
  readonly dir: string
  /** run a command in this process with local mode's data in this directory */
  inProcess(argv: string[]): Promise<RunResult>
}

/** A new data directory for local mode for each test (`each`) or for the whole describe block (`all`), removed after. */
export function useDataDir(scope: 'all' | 'each' = 'each'): DataDirUse {
  let dir = ''
  const setup = async (): Promise<void> => {
    dir = await tempDataDir()
  }

  const teardown = (): Promise<void> => removeDataDir(dir)
  if (scope === 'each') {
    beforeEach(setup)
    afterEach(teardown)
  } else {
    before(setup)
    after(teardown)
  }

  return {
    bin: (argv, options = {}) => runBin(argv, {...options, env: {HEROKU_ACTIONS_DATA_DIR: dir, ...options.env}}),
    get dir() {
      return dir
    },
    inProcess: argv => runIn(dir, argv),
  }
}
