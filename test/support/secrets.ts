import createDebug from 'debug'
import {spawn} from 'node:child_process'
import {
  mkdtemp, readdir, readFile, rm,
} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {setEnv} from './env.js'
import {ROOT, run, RunResult} from './run.js'

/**
 * Credentials must never be printed, logged or written: not on stdout, not
 * on stderr (DEBUG output included), not in any file. These helpers run a
 * command with every kind of debug output on, and report where a secret
 * showed up. A command joins with one line: `expect(await leaksOf(argv, secrets)).to.deep.equal([])`.
 */

/** name -> value that must not appear */
export type Secrets = Record<string, string>

/**
 * The credentials in a database URL, its host, the API token, and the forms
 * they take when encoded. A loopback address is left out: the Platform API
 * stand-in is there too, and debug output rightly names it; give the
 * database a made-up name (fake DNS) to scan for its host.
 */
export function secretsOf(databaseUrl: string, token: string): Secrets {
  const url = new URL(databaseUrl)
  const password = decodeURIComponent(url.password)
  const user = decodeURIComponent(url.username)
  const secrets: Secrets = {
    'API token': token, 'database password': password, 'database URL': databaseUrl, 'database user': user,
  }
  if (!/^(127\.|localhost$|\[::1\]$)/.test(url.hostname)) secrets['database host'] = url.hostname
  for (const [name, value] of Object.entries({password, user})) {
    secrets[`database ${name}, URL-encoded`] = encodeURIComponent(value)
    secrets[`database ${name}, as a JSON string`] = JSON.stringify(value).slice(1, -1)
  }

  return secrets
}

/** Where each secret appears in `text`; `where` names the text. */
export function findSecrets(where: string, text: string, secrets: Secrets): string[] {
  return Object.entries(secrets).filter(([, value]) => text.includes(value)).map(([name]) => `${name} in ${where}`)
}

/**
 * The database's host is no credential, and a connection error names it on
 * purpose ("could not connect to the database at HOST:PORT"), as psql does;
 * anywhere else (stdout, debug output, files) it must not show.
 */
const NAMED_BY_ERRORS = new Set(['database host'])

/**
 * Secrets in stdout and stderr. The host may appear in the error only: its
 * lines (" ›   Error: ..." and their continuation) and the debug output that
 * repeats its text (oclif:error).
 */
function findInOutput(result: RunResult, secrets: Secrets, error = ''): string[] {
  // oclif wraps a long error in " ›   " continuation lines: undo that, leaving the first line where it is
  const unwrapped = result.stderr.replaceAll(/ *\n › {3}(?!Error: |Warning: )/g, ' ')
  const said = /^ › {3}Error: (.*)$/m.exec(unwrapped)?.[1]
  const rest = said ? unwrapped.split(said).join('') : result.stderr
  const debug = rest.split('\n').filter(line => !line.startsWith(' ›')).join('\n')
  const strict = Object.fromEntries(Object.entries(secrets).filter(([name]) => !NAMED_BY_ERRORS.has(name)))
  return [...findSecrets('stdout', result.stdout, secrets),
    ...findSecrets('stderr', result.stderr, strict),
    ...findSecrets('stderr (debug output)', debug, secrets),
    ...(error ? findSecrets('the error', error, strict) : [])]
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, {recursive: true, withFileTypes: true})
  return entries.filter(e => e.isFile()).map(e => path.join(e.parentPath, e.name))
}

export interface Scanned {
  /** the files the command wrote, relative to its home */
  files: string[]
  leaks: string[]
  result: RunResult
}

/**
 * Run bin/run.js in a subprocess with DEBUG=* (plus `env`), its HOME, XDG
 * directories, TMPDIR and working directory in a fresh directory, and scan
 * its stdout, stderr and every file it wrote there.
 */
export async function leaksOfBin(argv: string[], secrets: Secrets, env: NodeJS.ProcessEnv = {}): Promise<Scanned> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'secrets-home-'))
  try {
    const dirs = {
      HOME: home, TMPDIR: path.join(home, 'tmp'), XDG_CACHE_HOME: path.join(home, 'cache'), XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_DATA_HOME: path.join(home, 'data'), XDG_STATE_HOME: path.join(home, 'state'),
    }
    const result = await spawnBin(argv, home, {
      ...process.env, DEBUG: '*', ...dirs, ...env,
    })
    const files = await filesUnder(home)
    const leaks = findInOutput(result, secrets)
    for (const file of files) {
      // latin1 keeps every byte, so a secret in any encoding-agnostic file still matches
      const text = await readFile(file, 'latin1')
      leaks.push(...findSecrets(file, text, secrets), ...findSecrets(file, Buffer.from(text, 'latin1').toString('utf8'), secrets))
    }

    return {files: files.map(f => path.relative(home, f)), leaks: [...new Set(leaks)], result}
  } finally {
    await rm(home, {force: true, recursive: true})
  }
}

/**
 * The same in this process, with every debug namespace switched on for the
 * run, and `env` set for it: much faster, but no files to scan, and the
 * redaction remembers the secrets of earlier runs in this process; give each
 * run credentials it has not seen (rotate the user and the password, see
 * PostgreSQL's rotateUser) so that a leak is caught on first sight.
 */
export async function leaksOfRun(argv: string[], secrets: Secrets, env: NodeJS.ProcessEnv = {}): Promise<Scanned> {
  const saved = Object.fromEntries(Object.keys(env).map(name => [name, process.env[name]]))
  setEnv(env)
  createDebug.enable('*')
  let result: RunResult
  try {
    result = await run(argv)
  } finally {
    createDebug.disable()
    setEnv(saved)
  }

  const leaks = findInOutput(result, secrets, `${result.error?.message ?? ''}\n${result.error?.stack ?? ''}`)
  return {files: [], leaks, result}
}

const HANG_MS = 60_000

async function spawnBin(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/run.js'), ...argv], {cwd, env, stdio: ['ignore', 'pipe', 'pipe']})
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', chunk => out.push(chunk))
  child.stderr.on('data', chunk => err.push(chunk))
  // a command that hangs is reported as such, not as the test's own timeout
  const timer = setTimeout(() => {
    err.push(Buffer.from(`\n[the test killed the command: still running after ${HANG_MS / 1000} s]\n`))
    child.kill('SIGKILL')
  }, HANG_MS)
  const exitCode = await new Promise<number>(resolve => {
    child.on('close', code => resolve(code ?? 137))
  })
  clearTimeout(timer)
  return {exitCode, stderr: Buffer.concat(err).toString(), stdout: Buffer.concat(out).toString()}
}
