/**
 * Start-up time of the plugin's own CLI, side by side with a bare `node`.
 * Runs every case in turn, N rounds, and prints medians and ratios.
 *   npm run build && npx tsx bench/startup.ts [rounds]
 */
import {execFileSync} from 'node:child_process'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BIN = path.join(ROOT, 'bin/run.js')
const rounds = Number(process.argv[2] ?? 15)

const CASES: Array<[string, string[]]> = [
  ['node -e 0', ['-e', '0']],
  ['bin/run.js --help', [BIN, '--help']],
  ['bin/run.js actions --help (list commands)', [BIN, 'actions', '--help']],
  ['bin/run.js actions:list --help (loads the command)', [BIN, 'actions:list', '--help']],
]

const times = new Map<string, number[]>(CASES.map(([name]) => [name, []]))
for (let round = 0; round < rounds; round++) {
  for (const [name, args] of CASES) {
    const started = process.hrtime.bigint()
    execFileSync(process.execPath, args, {cwd: ROOT, stdio: 'ignore'})
    times.get(name)!.push(Number(process.hrtime.bigint() - started) / 1e6)
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const base = median(times.get(CASES[0][0])!)
for (const [name] of CASES) {
  const m = median(times.get(name)!)
  console.log(`${m.toFixed(0).padStart(6)} ms  ${(m / base).toFixed(1).padStart(5)}x  ${name}`)
}
