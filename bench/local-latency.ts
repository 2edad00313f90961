/**
 * What local mode costs per command: `actions:list --local` when the command
 * has to start and stop the server itself, against the same command while
 * actions:local:start keeps it running, and the one-time creation of the
 * cluster. Runs alternate, in one process, so machine load hits both alike.
 *
 *   npm run build && node --import tsx bench/local-latency.ts [rounds]
 */
import {execFileSync} from 'node:child_process'
import {chmodSync, mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const rounds = Number(process.argv[2] ?? 10)
const scratch = mkdtempSync(path.join(os.tmpdir(), 'heroku-actions-bench-'))
chmodSync(scratch, 0o755)

function timed(dataDir: string, ...argv: string[]): number {
  const started = process.hrtime.bigint()
  execFileSync(process.execPath, [path.join(ROOT, 'bin/run.js'), ...argv], {
    env: {...process.env, HEROKU_ACTIONS_DATA_DIR: dataDir}, stdio: 'ignore',
  })
  return Number(process.hrtime.bigint() - started) / 1e6
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

try {
  const create: number[] = []
  for (let i = 0; i < 3; i++) create.push(timed(path.join(scratch, `fresh-${i}`), 'actions:init', '--local'))
  const dataDir = path.join(scratch, 'fresh-0')
  const oneOff: number[] = []
  const running: number[] = []
  for (let i = 0; i < rounds; i++) {
    oneOff.push(timed(dataDir, 'actions:list', '--local'))
    timed(dataDir, 'actions:local:start')
    running.push(timed(dataDir, 'actions:list', '--local'))
    timed(dataDir, 'actions:local:stop')
  }

  const table = {
    'first use (creates the cluster)': median(create),
    'one-off (starts and stops the server)': median(oneOff),
    'server kept by actions:local:start': median(running),
  }
  for (const [what, ms] of Object.entries(table)) console.log(`${what.padEnd(40)} median ${ms.toFixed(0).padStart(5)} ms`)
  console.log(`start+stop cost per one-off command: ${(median(oneOff) - median(running)).toFixed(0)} ms (ratio ${(median(oneOff) / median(running)).toFixed(2)}); load average ${os.loadavg()[0].toFixed(1)}`)
} finally {
  for (let i = 0; i < 3; i++) timed(path.join(scratch, `fresh-${i}`), 'actions:local:stop')
  rmSync(scratch, {force: true, recursive: true})
}
