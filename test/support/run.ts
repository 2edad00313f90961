import {Config} from '@oclif/core'
import {ChildProcessWithoutNullStreams, spawn} from 'node:child_process'
import {once} from 'node:events'
import {constants} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface RunResult {
  /** the error the command ended with, in process */
  error?: Error & {oclif?: {exit?: number}}
  exitCode: number
  stderr: string
  stdout: string
}

let config: Config | undefined

/** A stream's write that keeps the bytes, and calls back as a stream does once they are written. */
function capture(into: Buffer[]) {
  return (chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean => {
    into.push(Buffer.from(chunk))
    const done = typeof encoding === 'function' ? encoding : callback
    if (typeof done === 'function') process.nextTick(done)
    return true
  }
}

/**
 * Run a command in this process, as oclif would (the built plugin in dist/),
 * capturing what it writes. Much faster than a subprocess; tests that need
 * the real process boundary use runBin.
 */
export async function run(argv: string[]): Promise<RunResult> {
  config ??= await Config.load(ROOT)
  const [id, ...rest] = argv
  // bytes, decoded at the end: a streamed chunk may end inside a character
  const out: Buffer[] = []
  const err: Buffer[] = []
  const {stderr, stdout} = process
  const original = {err: stderr.write, out: stdout.write}
  stdout.write = capture(out) as typeof stdout.write
  stderr.write = capture(err) as typeof stderr.write
  let error: RunResult['error']
  try {
    await config.runCommand(id, rest)
  } catch (error_) {
    error = error_ as RunResult['error']
  } finally {
    stdout.write = original.out
    stderr.write = original.err
  }

  const exitCode = error ? (error.oclif?.exit ?? 1) : 0
  return {
    error, exitCode, stderr: Buffer.concat(err).toString(), stdout: Buffer.concat(out).toString(),
  }
}

export interface SpawnOptions {
  /** working directory; the repository by default */
  cwd?: string
  /** added to this process's environment; `undefined` removes a variable */
  env?: NodeJS.ProcessEnv
  input?: Buffer | string
  /** a command that runs the process (`nsenter ... -t PID`): the process runs as its last arguments */
  through?: string[]
}

export interface RunningBin {
  child: ChildProcessWithoutNullStreams
  /** resolves when the process has exited and its output is closed */
  done: Promise<RunResult>
  /** what it has written to stdout and stderr so far */
  output(): string
}

/** Start `bin/run.js` as a real subprocess, for tests that signal it or watch it run. */
export function startBin(argv: string[], options: SpawnOptions = {}): RunningBin {
  return startScript(path.join(ROOT, 'bin/run.js'), argv, options)
}

/** Start a Node.js script (ours, or another CLI's) as a real subprocess. */
export function startScript(script: string, argv: string[], options: SpawnOptions = {}): RunningBin {
  const [command, ...args] = [...(options.through ?? []), process.execPath, script, ...argv]
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    env: {...process.env, ...options.env},
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const out: Buffer[] = []
  const err: Buffer[] = []
  // a child may stop reading its stdin (it exited, it was interrupted): that is
  // its exit code's and stderr's to say, not an uncaught EPIPE in the test run
  child.stdin.on('error', () => {})
  child.stdout.on('data', chunk => out.push(chunk))
  child.stderr.on('data', chunk => err.push(chunk))
  if (options.input !== undefined) child.stdin.end(options.input)
  const done = new Promise<RunResult>(resolve => {
    child.on('close', (code, signal) => resolve({
      exitCode: code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1),
      stderr: Buffer.concat(err).toString(),
      stdout: Buffer.concat(out).toString(),
    }))
  })
  return {child, done, output: () => Buffer.concat([...out, ...err]).toString()}
}

/** Run `bin/run.js` as a real subprocess. */
export async function runBin(argv: string[], options: SpawnOptions = {}): Promise<RunResult> {
  return startBin(argv, {...options, input: options.input ?? ''}).done
}

/**
 * Run `bin/run.js` with its stdout sent where a shell sends it (`> /dev/full`,
 * `| head -1`); exitCode is the plugin's own, stdout what the shell printed.
 */
export async function runBinInto(argv: string[], into: string): Promise<RunResult> {
  const child = spawn('/bin/bash', ['-c', `"$0" bin/run.js "$@" ${into}; exit \${PIPESTATUS[0]}`, process.execPath, ...argv], {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']})
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', chunk => out.push(chunk))
  child.stderr.on('data', chunk => err.push(chunk))
  const [code] = await once(child, 'close') as [number]
  return {exitCode: code, stderr: Buffer.concat(err).toString(), stdout: Buffer.concat(out).toString()}
}

/** Run a Node.js script as a real subprocess. */
export async function runScript(script: string, argv: string[], options: SpawnOptions = {}): Promise<RunResult> {
  return startScript(script, argv, {...options, input: options.input ?? ''}).done
}

/** Poll `check` until it returns a value other than undefined, or fail after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, ms = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const value = await check()
    if (value !== undefined) return value
    await new Promise(resolve => {
      setTimeout(resolve, 50)
    })
  }

  throw new Error(`timed out after ${ms} ms waiting for ${what}`)
}

/** Ctrl-C for `running` once `started` says its work is under way (polled); resolves with how it ended. */
export async function interruptWhen(running: RunningBin, started: () => Promise<boolean>, what: string): Promise<RunResult> {
  await eventually(async () => ((await started()) ? true : undefined), 15_000, what)
  running.child.kill('SIGINT')
  return running.done
}

/** stderr with oclif's wrapping of long error messages undone (" ›   " continuation lines). */
export function unwrap(stderr: string): string {
  return stderr.replaceAll(/ *\n ›\s+/g, ' ')
}
