/**
 * Start-up, side by side with a baseline, in the three ways a user runs the
 * plugin (issue 12):
 *   1. its own bin: `bin/run.js actions:list --limit 10` end to end (Platform
 *      API call, SSL connect, query, print) against
 *      bench/support/minimal-list.mjs, the same work in a bare Node script;
 *   2. linked into the real Heroku CLI (`heroku plugins:link`, as the README
 *      installs it): `heroku actions:list --limit 10` against `heroku
 *      config:get DATABASE_URL` (one Platform API call, no plugin code);
 *   3. installed into it from the packed tarball (`npm pack`, `heroku
 *      plugins:install file:...`), against the same config:get.
 * On the SSL PostgreSQL and Platform API stand-in the tests use; each mode's
 * cases run in turn, N rounds, the order rotated every round; medians and
 * ratios to the baseline. The Heroku CLI (the `heroku` devDependency) runs
 * with a throwaway HOME and without autoupdate, version check or telemetry.
 *   npm run build && npx tsx bench/startup.ts [rounds] [--only own|linked|installed]
 */
import {execFile, spawn} from 'node:child_process'
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {promisify} from 'node:util'

import {PlatformApi} from '../test/support/platform-api.js'
import {startPostgres} from '../test/support/postgres.js'
import {APP, TOKEN} from '../test/support/world.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BIN = path.join(ROOT, 'bin/run.js')
const HEROKU = path.join(ROOT, 'node_modules/heroku/bin/run.js')
const MINIMAL = path.join(ROOT, 'bench/support/minimal-list.mjs')
const NO_TS_LOOKUP = path.join(ROOT, 'bench/support/no-ts-lookup.mjs')
const positional = process.argv.slice(2).find((arg, i, all) => !arg.startsWith('--') && all[i - 1] !== '--only')
const rounds = Number(positional ?? 15)
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined

// what oclif prints when it cannot (or will not) run a linked plugin as built
const OCLIF_WARNING = /linked ESM module|auto-transpil|tsconfig|ts-node|Could not find typescript|Mismatched version/

type Case = [name: string, args: string[], env?: NodeJS.ProcessEnv]

/** Wall time from spawn to exit, as a user sees it, and stderr; fails on a non-zero exit. */
async function time(args: string[], env: NodeJS.ProcessEnv): Promise<{ms: number; stderr: string}> {
  const started = performance.now()
  const child = spawn(process.execPath, args, {cwd: ROOT, env: {...process.env, ...env}, stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  child.stderr.on('data', chunk => {
    stderr += chunk
  })
  const code = await new Promise<null | number>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', resolve)
  })
  if (code !== 0) throw new Error(`node ${args.map(arg => path.relative(ROOT, arg) || arg).join(' ')} exited with ${code}: ${stderr.trim()}`)
  return {ms: performance.now() - started, stderr}
}

interface Measured {
  loads: number[]
  times: Map<string, number[]>
  warnings: Set<string>
}

/** Every case once per round, the order rotated each round so that load hits all alike. */
async function measure(cases: Case[], env: NodeJS.ProcessEnv = {}): Promise<Measured> {
  const measured: Measured = {loads: [], times: new Map(cases.map(([name]) => [name, []])), warnings: new Set()}
  for (let round = 0; round < rounds; round++) {
    measured.loads.push(os.loadavg()[0])
    const order = [...cases.slice(round % cases.length), ...cases.slice(0, round % cases.length)]
    for (const [name, args, caseEnv] of order) {
      const {ms, stderr} = await time(args, {...env, ...caseEnv})
      measured.times.get(name)!.push(ms)
      for (const line of stderr.split('\n').filter(line => OCLIF_WARNING.test(line))) measured.warnings.add(`${name}: ${line.trim()}`)
    }
  }

  return measured
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

/** Medians, each case's ratio to the first (the baseline), the load average over the rounds, and any oclif warning. */
function print(title: string, {loads, times, warnings}: Measured): void {
  console.log(`\n${title} (load average ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)}, median ${median(loads).toFixed(1)}; ${rounds} rounds)`)
  const base = median([...times.values()][0])
  for (const [name, values] of times) {
    const m = median(values)
    console.log(`${m.toFixed(0).padStart(6)} ms  ${(m / base).toFixed(2).padStart(5)}x  ${name}`)
  }

  console.log(warnings.size === 0 ? 'no oclif warning on stderr' : `oclif warnings:\n  ${[...warnings].join('\n  ')}`)
}

/** The real Heroku CLI with its own throwaway HOME, talking to nothing but the stand-in. */
function herokuEnv(home: string, apiUrl: string): NodeJS.ProcessEnv {
  return {
    DISABLE_TELEMETRY: 'true',
    HEROKU_API_KEY: TOKEN,
    HEROKU_DISABLE_AUTOUPDATE: '1',
    HEROKU_HOST: apiUrl,
    HEROKU_SKIP_NEW_VERSION_CHECK: 'true',
    HOME: home,
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
  }
}

const LIST = ['actions:list', '--limit', '10', '--app', APP]
const CONFIG_GET = ['config:get', 'DATABASE_URL', '--app', APP]

console.log(`Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}, median of ${rounds} rounds`)
if (!only) {
  print('the plugin\'s own bin, no database work', await measure([
    ['node -e 0', ['-e', '0']],
    ['bin/run.js --help', [BIN, '--help']],
    ['bin/run.js actions --help (list commands)', [BIN, 'actions', '--help']],
    ['bin/run.js actions:list --help (loads the command)', [BIN, 'actions:list', '--help']],
  ]))
}

const pg = await startPostgres()
const api = new PlatformApi({token: TOKEN})
const homes: string[] = []
try {
  await api.start()
  api.setApp({databases: [{attachment: 'DATABASE', url: pg.url}], name: APP})
  const env = {DISABLE_TELEMETRY: 'true', HEROKU_API_KEY: TOKEN, HEROKU_HOST: api.url}
  await time([BIN, 'actions:init', '--app', APP], env)
  await pg.query("INSERT INTO actions (action, path) SELECT 'deploy', '/api/deploy/' || n FROM generate_series(1, 20) AS n")

  if (!only || only === 'own') {
    print('1. own bin: end to end, 10 of 20 rows, against the minimal script (target: within 1.2x)', await measure([
      ['minimal-list.mjs (fetch, pg, print)', [MINIMAL, APP]],
      ['bin/run.js actions:list --limit 10 --app APP', [BIN, ...LIST]],
    ], env))
  }

  /** `heroku actions:list` against `heroku config:get`, in a HOME of its own where `install` has put the plugin. */
  const againstConfigGet = async (title: string, install: (env: NodeJS.ProcessEnv, home: string) => Promise<unknown>, more: Case[] = []) => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'heroku-actions-bench-home-'))
    homes.push(home)
    const env = herokuEnv(home, api.url)
    await install(env, home)
    print(title, await measure([
      ['heroku config:get DATABASE_URL --app APP', [HEROKU, ...CONFIG_GET]],
      ['heroku actions:list --limit 10 --app APP', [HEROKU, ...LIST]],
      ...more,
    ], env))
  }

  if (!only || only === 'linked') {
    await againstConfigGet(
      '2. linked (heroku plugins:link): against heroku config:get (target: within 1.15x, no oclif warning)',
      env => time([HEROKU, 'plugins:link', '--no-install', ROOT], env),
      // not a way users run it: what is left once oclif's TypeScript lookup for linked plugins (it loads
      // typescript and registers tsx on every command) is turned off, which only the CLI's own code can do
      [['heroku actions:list, oclif\'s TypeScript lookup off (diagnostic)', [HEROKU, ...LIST], {NODE_OPTIONS: `--import=${pathToFileURL(NO_TS_LOOKUP).href}`}]],
    )
  }

  if (!only || only === 'installed') {
    await againstConfigGet('3. installed from the packed tarball: against heroku config:get (target: within 1.03x)', async (env, home) => {
      // the tarball of what npm publishes: dist/ as the last build left it
      const {stdout} = await promisify(execFile)('npm', ['pack', '--ignore-scripts', '--pack-destination', home, '--silent'], {cwd: ROOT})
      await time([HEROKU, 'plugins:install', `file:${path.join(home, stdout.trim().split('\n').at(-1)!)}`], env)
    })
  }
} finally {
  await api.stop()
  await pg.stop()
  await Promise.all(homes.map(home => rm(home, {force: true, recursive: true})))
}
