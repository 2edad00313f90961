import {randomBytes} from 'node:crypto'
import {existsSync} from 'node:fs'
import {
  chmod, readdir, readFile, realpath, rename, rm, symlink, writeFile,
} from 'node:fs/promises'
import path from 'node:path'

import {UserError} from '../errors.js'
import {interruptHandled, signalExitCode} from '../signals.js'
import {findBinaries} from './binaries.js'
import {Cluster, PortInUseError, ServerState} from './cluster.js'
import {Layout} from './layout.js'
import {Leases} from './leases.js'
import {FileLock} from './lock.js'
import {freePort, HOST, waitFor} from './processes.js'
import {clusterHome, reachableBinaries, SHARED_BASE} from './reachable.js'
import {serverUser} from './server-user.js'

/** The role the local database is reached as; unusual, because credentials are redacted from output wherever they appear. */
export const LOCAL_USER = 'actions_local'
export const LOCAL_DATABASE = 'postgres'

export interface LocalLease {
  release(): Promise<void>
  url: string
}

export interface LocalStatus {
  /** the cluster's directory, when it exists */
  cluster?: string
  dataDir: string
  keptRunning: boolean
  /** the port actions:local:start used last, which the next start takes again */
  rememberedPort?: number
  server?: ServerState
  /** pids of the commands using it now */
  users: number[]
}

export interface LocalOptions {
  /** one-line notices for stderr (first-time setup) */
  notice?: (line: string) => void
  /** where root keeps what the postgres OS user must reach; SHARED_BASE by default */
  sharedBase?: string
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * The plugin's own PostgreSQL database, in a data directory of the user's.
 * Commands `acquire()` it: the first use creates it, a stopped server is
 * started, and the last command out stops it again unless `keepRunning()`
 * was asked for. Start, stop and setup happen under one lock file.
 */
export class LocalDatabase {
  readonly layout: Layout
  private readonly leases: Leases
  private readonly lock: FileLock

  constructor(dataDir: string, private readonly options: LocalOptions = {}) {
    this.layout = new Layout(dataDir)
    this.leases = new Leases(this.layout.leases)
    this.lock = new FileLock(this.layout.lock)
  }

  /** Use the server until `release()`: started now if it is not running. */
  async acquire(): Promise<LocalLease> {
    const {name, state} = await this.locked(async () => {
      const cluster = await this.prepare()
      const running = await this.running(cluster) ?? await this.start(cluster, (await this.settings()).port, false)
      return {name: await this.leases.add(), state: running}
    })
    let released = false
    const onSignal = (signal: NodeJS.Signals): void => {
      // the command stops what it is doing, says so and ends, releasing the lease (finally)
      if (interruptHandled()) return
      // eslint-disable-next-line n/no-process-exit, unicorn/no-process-exit -- no command is left to end: exit with the signal's status once the lease is released
      release().finally(() => process.exit(signalExitCode(signal)))
    }

    const release = async (): Promise<void> => {
      if (released) return
      released = true
      for (const signal of SIGNALS) process.off(signal, onSignal)
      await this.locked(async () => {
        await this.leases.remove(name)
        if ((await this.leases.holders()).length === 0 && !existsSync(this.layout.keepRunning)) await (await this.existing())?.stop()
      })
    }

    for (const signal of SIGNALS) process.once(signal, onSignal)
    try {
      return {release, url: await this.url(state.port)}
    } catch (error) {
      await release()
      throw error
    }
  }

  /** Start the server if needed and keep it running after this process ends (actions:local:start). */
  async keepRunning(port?: number): Promise<{port: number; started: boolean; url: string}> {
    const {started, state} = await this.locked(async () => {
      const cluster = await this.prepare()
      const wanted = port ?? (await this.settings()).port
      let running = await this.running(cluster)
      if (running && wanted !== undefined && running.port !== wanted) {
        const users = await this.leases.holders()
        if (users.length > 0) {
          throw new UserError(`the local database is in use on port ${running.port} by a command (pid ${users.join(', ')}): run this again when it has finished`)
        }

        await cluster.stop()
        running = undefined
      }

      const state = running ?? await this.start(cluster, wanted, wanted !== undefined)
      await writeFile(this.layout.settings, JSON.stringify({port: state.port}) + '\n')
      await writeFile(this.layout.keepRunning, `${process.pid}\n`)
      return {started: !running, state}
    })
    return {port: state.port, started, url: await this.url(state.port)}
  }

  /** What runs where, without starting or creating anything. */
  async status(): Promise<LocalStatus> {
    const cluster = await this.existing()
    return {
      cluster: cluster?.home,
      dataDir: this.layout.dir,
      keptRunning: existsSync(this.layout.keepRunning),
      rememberedPort: (await this.settings()).port,
      server: cluster?.state(),
      users: await this.leases.holders(),
    }
  }

  /** Stop keeping the server running; stop it now unless commands are using it (the last of them then stops it). */
  async stop(): Promise<{stopped: boolean; users: number[]}> {
    return this.locked(async () => {
      await rm(this.layout.keepRunning, {force: true})
      const cluster = await this.existing()
      if (!cluster?.state()) return {stopped: false, users: []}
      const users = await this.leases.holders()
      if (users.length === 0) await cluster.stop()
      return {stopped: users.length === 0, users}
    })
  }

  /** The cluster if it was created, enough to look at it and stop it. */
  private async existing(): Promise<Cluster | undefined> {
    const home = await realpath(this.layout.server).catch(() => {})
    return home ? new Cluster(home) : undefined
  }

  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    await this.layout.ensureWritable()
    return this.lock.with(fn)
  }

  private notice(line: string): void {
    this.options.notice?.(line)
  }

  /** The cluster, created on first use; root's is run by the postgres OS user. */
  private async prepare(): Promise<Cluster> {
    const owner = await serverUser()
    const base = this.options.sharedBase ?? SHARED_BASE
    const binaries = await reachableBinaries(await findBinaries(), owner, base, line => this.notice(line))
    if (existsSync(this.layout.server)) return new Cluster(await realpath(this.layout.server), binaries, owner)
    const home = await clusterHome(this.layout.dir, this.layout.server, owner, base)
    if (!existsSync(home)) {
      const where = home === this.layout.server ? '' : ` (the ${owner?.name} OS user cannot reach ${this.layout.dir})`
      this.notice(`Creating the local PostgreSQL database in ${home}${where}; this happens once.`)
      const password = randomBytes(18).toString('hex')
      await writeFile(this.layout.password, `${password}\n`, {mode: 0o600})
      await chmod(this.layout.password, 0o600)
      const partial = `${home}.init-${process.pid}`
      await removeLeftovers(home)
      await new Cluster(partial, binaries, owner).initialise({
        password, ssl: true, superuser: LOCAL_USER, sync: true,
      })
      // whole or not at all: a command killed during initdb leaves only a leftover to remove
      await rename(partial, home)
    }

    if (home !== this.layout.server) await symlink(home, this.layout.server)
    return new Cluster(home, binaries, owner)
  }

  /** The server, once it is ready; undefined when none runs. */
  private async running(cluster: Cluster): Promise<ServerState | undefined> {
    const state = cluster.state()
    if (!state) return undefined
    if (state.status === 'stopping') {
      await waitFor(() => (cluster.state() ? undefined : true), 30_000)
      return undefined
    }

    // 'starting' under our lock: its starter was killed after launching it
    return state.status === 'ready'
      ? state
      : waitFor(() => {
        const now = cluster.state()
        return now?.status === 'ready' ? now : undefined
      }, 30_000)
  }

  private async settings(): Promise<{port?: number}> {
    try {
      return JSON.parse(await readFile(this.layout.settings, 'utf8')) as {port?: number}
    } catch {
      return {}
    }
  }

  /**
   * On `port` if given; a port a one-off command was given may be taken by
   * now, and then any free one will do. actions:local:start's (`strict`) must
   * stay what the user's .env says.
   */
  private async start(cluster: Cluster, port: number | undefined, strict: boolean): Promise<ServerState> {
    await rm(this.layout.keepRunning, {force: true})
    for (let attempt = 1; ; attempt++) {
      const candidate = attempt === 1 && port !== undefined ? port : await freePort()
      try {
        return await cluster.start(candidate)
      } catch (error) {
        if (!(error instanceof PortInUseError)) throw error
        if (strict) throw new UserError(`${error.message}: ${error.denied ? 'choose a port from 1024 up' : 'stop that program, or choose another port'} with heroku actions:local:start --port PORT`)
        if (attempt >= 5) throw error
      }
    }
  }

  private async url(port: number): Promise<string> {
    let password: string
    try {
      password = (await readFile(this.layout.password, 'utf8')).trim()
    } catch (error) {
      throw new UserError(`the local database's password file ${this.layout.password} is missing: remove ${this.layout.server} to start afresh (its data is lost)`, {cause: error})
    }

    return `postgres://${LOCAL_USER}:${encodeURIComponent(password)}@${HOST}:${port}/${LOCAL_DATABASE}`
  }
}

/** Half-made clusters of commands killed during setup. */
async function removeLeftovers(home: string): Promise<void> {
  const prefix = `${path.basename(home)}.init-`
  const names = await readdir(path.dirname(home)).catch(() => [] as string[])
  await Promise.all(names.filter(name => name.startsWith(prefix)).map(name => Cluster.discard(path.join(path.dirname(home), name))))
}
