/**
 * Start-up time of the plugin's own CLI, side by side with a bare `node`;
 * then `actions:list --limit 10` end to end (Platform API call, SSL connect,
 * query, print) against bench/support/minimal-list.mjs, the same work in a
 * bare Node script, on the SSL PostgreSQL and Platform API stand-in the tests
 * use. Runs every case in turn, N rounds, and prints medians and ratios.
 *   npm run build && npx tsx bench/startup.ts [rounds]
 */
import {spawn} from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {PlatformApi} from '../test/support/platform-api.js'
import {startPostgres} from '../test/support/postgres.js'
import {APP, TOKEN} from '../test/support/world.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BIN = path.join(ROOT, 'bin/run.js')
const MINIMAL = path.join(ROOT, 'bench/support/minimal-list.mjs')
const rounds = Number(process.argv[2] ?? 15)

type Case = [name: string, args: string[]]

/** Wall time from spawn to exit, as a user sees it; fails on a non-zero exit. */
async function time(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
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
  return performance.now() - started
}

/** Every case once per round, the order rotated each round so that load hits all alike. */
async function measure(cases: Case[], env: NodeJS.ProcessEnv = {}): Promise<Map<string, number[]>> {
  const times = new Map<string, number[]>(cases.map(([name]) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    const order = [...cases.slice(round % cases.length), ...cases.slice(0, round % cases.length)]
    for (const [name, args] of order) times.get(name)!.push(await time(args, env))
  }

  return times
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

function print(times: Map<string, number[]>): void {
  const base = median([...times.values()][0])
  for (const [name, values] of times) {
    const m = median(values)
    console.log(`${m.toFixed(0).padStart(6)} ms  ${(m / base).toFixed(1).padStart(5)}x  ${name}`)
  }
}

console.log(`Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}, median of ${rounds} rounds\n`)
print(await measure([
  ['node -e 0', ['-e', '0']],
  ['bin/run.js --help', [BIN, '--help']],
  ['bin/run.js actions --help (list commands)', [BIN, 'actions', '--help']],
  ['bin/run.js actions:list --help (loads the command)', [BIN, 'actions:list', '--help']],
]))

const pg = await startPostgres()
const api = new PlatformApi({token: TOKEN})
try {
  await api.start()
  api.setApp({databases: [{attachment: 'DATABASE', url: pg.url}], name: APP})
  const env = {DISABLE_TELEMETRY: 'true', HEROKU_API_KEY: TOKEN, HEROKU_HOST: api.url}
  await time([BIN, 'actions:init', '--app', APP], env)
  await pg.query("INSERT INTO actions (action, path) SELECT 'deploy', '/api/deploy/' || n FROM generate_series(1, 20) AS n")
  console.log('\nend to end, 10 of 20 rows, against the minimal script (target: within 2x)')
  print(await measure([
    ['minimal-list.mjs (fetch, pg, print)', [MINIMAL, APP]],
    ['bin/run.js actions:list --limit 10 --app APP', [BIN, 'actions:list', '--limit', '10', '--app', APP]],
  ], env))
} finally {
  await api.stop()
  await pg.stop()
}
