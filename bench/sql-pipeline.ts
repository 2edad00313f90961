/**
 * actions:sql sends a script's statements pipelined (one round trip for all
 * of them). How much that saves against one round trip per statement (what
 * psql -1 -f does) on a database 20 ms away, side by side in one run:
 *
 *   node --import tsx bench/sql-pipeline.ts [statements=200] [one-way delay ms=10]
 */
import {execFile} from 'node:child_process'
import {mkdtemp, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {promisify} from 'node:util'

import {Database} from '../src/lib/db/database.js'
import {prepareScript, runScript} from '../src/lib/db/script-runner.js'
import {atPort} from '../test/support/fake-servers.js'
import {latencyProxy} from '../test/support/latency-proxy.js'
import {startPostgres} from '../test/support/postgres.js'

const statements = Number(process.argv[2] ?? 200)
const delayMs = Number(process.argv[3] ?? 10)
const pg = await startPostgres()
const proxy = await latencyProxy(pg.port, delayMs)
const url = atPort(pg.url, proxy.port)
const sql = ['CREATE TABLE IF NOT EXISTS bench (id int)',
  'TRUNCATE bench',
  ...Array.from({length: statements}, (_, i) => `INSERT INTO bench VALUES (${i})`)].join(';\n') + ';\n'
const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-sql-'))
await writeFile(path.join(dir, 'script.sql'), sql)

async function timed(name: string, fn: () => Promise<unknown>): Promise<void> {
  const before = proxy.roundTrips()
  const started = performance.now()
  await fn()
  console.log(`${name.padEnd(34)} ${((performance.now() - started) / 1000).toFixed(2).padStart(6)} s  ${String(proxy.roundTrips() - before).padStart(5)} round trips`)
}

async function viaRunner(pipeline: boolean): Promise<void> {
  const db = await Database.connect(url, {pipeline})
  try {
    // the results are not what is measured: dropped as they arrive
    await runScript(db, prepareScript(sql), {sink: {end() {}, row() {}}})
  } finally {
    await db.close()
  }
}

console.log(`${statements + 2} statements, ${delayMs} ms each way (${2 * delayMs} ms round trip)`)
await timed('actions:sql runner, pipelined', () => viaRunner(true))
await timed('same runner, one statement a time', () => viaRunner(false))
await timed('psql -1 -f', () => promisify(execFile)('psql', [url, '-q', '-1', '-f', path.join(dir, 'script.sql')], {env: {...process.env, PGSSLMODE: 'require'}}))
await proxy.stop()
await pg.stop()
