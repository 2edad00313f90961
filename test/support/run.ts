import {Config} from '@oclif/core'
import {spawn} from 'node:child_process'
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

/**
 * Run a command in this process, as oclif would (the built plugin in dist/),
 * capturing what it writes. Much faster than a subprocess; tests that need
 * the real process boundary use runBin.
 */
export async function run(argv: string[]): Promise<RunResult> {
  config ??= await Config.load(ROOT)
  const [id, ...rest] = argv
  const out: string[] = []
  const err: string[] = []
  const {stderr, stdout} = process
  const original = {err: stderr.write, out: stdout.write}
  stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof stdout.write
  stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as typeof stderr.write
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
  return {error, exitCode, stderr: err.join(''), stdout: out.join('')}
}

export interface SpawnOptions {
  /** working directory; the repository by default */
  cwd?: string
  /** added to this process's environment; `undefined` removes a variable */
  env?: NodeJS.ProcessEnv
  input?: string
}

/** Run `bin/run.js` as a real subprocess. */
export async function runBin(argv: string[], options: SpawnOptions = {}): Promise<RunResult> {
  return runScript(path.join(ROOT, 'bin/run.js'), argv, options)
}

/** Run a Node.js script (ours, or another CLI's) as a real subprocess. */
export async function runScript(script: string, argv: string[], options: SpawnOptions = {}): Promise<RunResult> {
  const child = spawn(process.execPath, [script, ...argv], {
    cwd: options.cwd ?? ROOT,
    env: {...process.env, ...options.env},
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', chunk => out.push(chunk))
  child.stderr.on('data', chunk => err.push(chunk))
  child.stdin.end(options.input ?? '')
  const exitCode = await new Promise<number>(resolve => {
    child.on('close', code => resolve(code ?? 1))
  })
  return {exitCode, stderr: Buffer.concat(err).toString(), stdout: Buffer.concat(out).toString()}
}
