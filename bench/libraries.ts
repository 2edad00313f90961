/**
 * Issue 12, "less hand-written code": each hand-written piece side by side
 * with the library that could replace it, alternating which goes first;
 * medians and ratios (ours / library: below 1 means ours is faster), with
 * the load average before and after.
 *
 * - csv: a CSV file of --rows rows in 64 KiB chunks to records: our
 *   Utf8Decoder + CsvReader, csv-parse fed the same strings, and csv-parse
 *   fed the bytes (which skips the strict UTF-8 check: not a candidate, a bound)
 * - utf8: the same chunks to text: our Utf8Decoder, TextDecoder {fatal, stream}
 * - lock: --locks acquire/release cycles: our FileLock, proper-lockfile; then
 *   how long a waiter takes to get a lock whose holder was killed with SIGKILL
 *   (proper-lockfile with its default stale time, and retries to wait)
 * - cursor: all rows of a 10,000-row table in batches of 1,000 and a 100-row
 *   one, through a proxy adding --delay ms each way and counting round
 *   trips: our Database.cursor on its pipelined connection, pg-cursor (which
 *   pg refuses on a pipelined connection) on an unpipelined one; with
 *   --direct, straight to the server instead (no proxy, round trips not
 *   counted: the proxy's own sockets leave Nagle on, which adds delays of its
 *   own when a flight is written in several pieces)
 *
 *   npm run build && node --import tsx bench/libraries.ts [--only csv,utf8,lock,cursor] [--runs 7] [--rows 1000000] [--delay 20 | --direct]
 */
import {parse as csvParse} from 'csv-parse'
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {readFile, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {Readable} from 'node:stream'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import Cursor from 'pg-cursor'
import lockfile from 'proper-lockfile'

import {CsvReader} from '../src/lib/actions/import/csv-reader.js'
import {Utf8Decoder} from '../src/lib/actions/import/utf8.js'
import {Database} from '../src/lib/db/database.js'
import {FileLock} from '../src/lib/local/lock.js'
import {latencyProxy} from '../test/support/latency-proxy.js'
import {startPostgres} from '../test/support/postgres.js'
import {writeCsv} from './support/data.js'
import {median} from './support/report.js'

const {values} = parseArgs({
  options: {
    delay: {default: '20', type: 'string'},
    direct: {type: 'boolean'},
    locks: {default: '2000', type: 'string'},
    only: {default: 'csv,utf8,lock,cursor', type: 'string'},
    rows: {default: '1000000', type: 'string'},
    runs: {default: '7', type: 'string'},
  },
})
const runs = Number(values.runs)
const only = new Set(values.only.split(','))
const load = () => os.loadavg()[0].toFixed(2)

/** Each of `contenders` `runs` times, the order rotated every run; prints medians and the ratio of the first to each other. */
async function sideBySide(title: string, contenders: Record<string, () => Promise<unknown>>): Promise<void> {
  const names = Object.keys(contenders)
  const times: Record<string, number[]> = Object.fromEntries(names.map(n => [n, []]))
  const loadBefore = load()
  for (let run = 0; run < runs; run++) {
    const order = [...names.slice(run % names.length), ...names.slice(0, run % names.length)]
    for (const name of order) {
      const started = performance.now()
      await contenders[name]()
      times[name].push(performance.now() - started)
    }
  }

  console.log(`\n## ${title} (load ${loadBefore} -> ${load()}, ${runs} runs)`)
  const first = median(times[names[0]])
  for (const name of names) {
    const ms = median(times[name])
    console.log(`${name.padEnd(48)} ${ms.toFixed(1).padStart(9)} ms   ours/this ${(first / ms).toFixed(2)}x`)
  }
}

async function chunksOf(file: string): Promise<Buffer[]> {
  const bytes = await readFile(file)
  const chunks: Buffer[] = []
  for (let i = 0; i < bytes.length; i += 1 << 16) chunks.push(bytes.subarray(i, i + (1 << 16)))
  return chunks
}

function ourCsv(chunks: Buffer[]): number {
  let records = 0
  const reader = new CsvReader(() => records++)
  const decoder = new Utf8Decoder()
  for (const chunk of chunks) reader.push(decoder.decode(chunk, () => 0))
  decoder.end(() => 0)
  reader.end()
  return records
}

/** As strict as csv-parse goes: the field count is checked by rows.ts, as now; info for the line. */
async function libraryCsv(input: Iterable<Buffer | string>): Promise<number> {
  let records = 0
  const parser = Readable.from(input).pipe(csvParse({
    info: true, record_delimiter: ['\r\n', '\n'], relax_column_count: true, skip_empty_lines: true,
  }))
  for await (const record of parser) if (record) records++
  return records
}

function * decoded(chunks: Buffer[]): Generator<string> {
  const decoder = new Utf8Decoder()
  for (const chunk of chunks) yield decoder.decode(chunk, () => 0)
}

const scratch = path.join(os.tmpdir(), `heroku-actions-libraries-${process.pid}`)
try {
  if (only.has('csv') || only.has('utf8')) {
    const file = `${scratch}.csv`
    await writeCsv(file, Number(values.rows))
    const chunks = await chunksOf(file)
    await rm(file)
    const expected = Number(values.rows) + 1
    const check = (n: number) => {
      if (n !== expected) throw new Error(`${n} records, not ${expected}`)
    }

    if (only.has('csv')) {
      await sideBySide(`CSV, ${values.rows} rows to records`, {
        'csv-parse 7.0.3 on bytes (no strict UTF-8)': async () => check(await libraryCsv(chunks)),
        'csv-parse 7.0.3 on the same strings': async () => check(await libraryCsv(decoded(chunks))),
        'ours: Utf8Decoder + CsvReader': async () => check(ourCsv(chunks)),
      })
    }

    if (only.has('utf8')) {
      await sideBySide(`UTF-8, ${values.rows} rows (${(chunks.length / 16).toFixed(0)} MiB) to text`, {
        async 'ours: Utf8Decoder'() {
          const decoder = new Utf8Decoder()
          for (const chunk of chunks) decoder.decode(chunk, () => 0)
        },
        async 'TextDecoder {fatal: true} with stream: true'() {
          const decoder = new TextDecoder('utf8', {fatal: true})
          for (const chunk of chunks) decoder.decode(chunk, {stream: true})
          decoder.decode()
        },
      })
    }
  }

  if (only.has('lock')) {
    const n = Number(values.locks)
    await sideBySide(`lock, ${n} acquire/release cycles`, {
      async 'ours: FileLock'() {
        const lock = new FileLock(`${scratch}.ours.lock`)
        for (let i = 0; i < n; i++) await lock.with(async () => {})
      },
      async 'proper-lockfile 4.1.2'() {
        for (let i = 0; i < n; i++) {
          const release = await lockfile.lock(scratch, {lockfilePath: `${scratch}.library.lock`, realpath: false})
          await release()
        }
      },
    })
  }

  if (only.has('lock')) await takeovers()
  if (only.has('cursor')) await cursors(Number(values.delay))
} finally {
  await rm(`${scratch}.ours.lock`, {force: true})
}

/** A child process takes the lock and is killed with SIGKILL; the time until we have the lock. */
async function takeover(holder: string, acquire: () => Promise<() => Promise<void>>): Promise<number> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `${holder}; console.log('held'); setInterval(() => {}, 1000)`], {cwd: root, stdio: ['ignore', 'pipe', 'inherit']})
  await once(child.stdout, 'data')
  child.kill('SIGKILL')
  await once(child, 'exit')
  const started = performance.now()
  const release = await acquire()
  const ms = performance.now() - started
  await release()
  return ms
}

async function takeovers(): Promise<void> {
  const ours = `${scratch}.ours.lock`
  const library = `${scratch}.library.lock`
  const times: Record<string, number[]> = {'ours: FileLock': [], 'proper-lockfile 4.1.2': []}
  for (let run = 0; run < 3; run++) {
    times['ours: FileLock'].push(await takeover(`const {FileLock} = await import('./src/lib/local/lock.ts'); await new FileLock(${JSON.stringify(ours)}).acquire()`, async () => {
      const lock = new FileLock(ours)
      await lock.acquire()
      return () => lock.release()
    }))
    times['proper-lockfile 4.1.2'].push(await takeover(
      `const {default: lockfile} = await import('proper-lockfile'); await lockfile.lock(${JSON.stringify(scratch)}, {lockfilePath: ${JSON.stringify(library)}, realpath: false})`,
      () => lockfile.lock(scratch, {lockfilePath: library, realpath: false, retries: {maxTimeout: 100, minTimeout: 5, retries: 1000}}),
    ))
  }

  console.log(`\n## a lock whose holder was killed with SIGKILL, until a waiter has it (load ${load()}, 3 runs)`)
  for (const [name, ms] of Object.entries(times)) console.log(`${name.padEnd(48)} ${median(ms).toFixed(1).padStart(9)} ms`)
}

async function cursors(delay: number): Promise<void> {
  const pg = await startPostgres()
  const proxy = await latencyProxy(pg.port, delay)
  try {
    const url = new URL(pg.url)
    if (!values.direct) url.port = String(proxy.port)
    const ours = await Database.connect(url.toString(), {pipeline: true, sslMode: 'require'})
    const plain = await Database.connect(url.toString(), {sslMode: 'require'})
    await plain.query("CREATE TABLE bench_rows AS SELECT g AS id, 'deploy' AS action, '/api/' || g AS path FROM generate_series(1, 10000) g")
    for (const limit of [100, 10_000]) {
      const sql = `SELECT * FROM bench_rows ORDER BY id LIMIT ${limit}`
      const trips: Record<string, number> = {}
      const counted = (name: string, fn: () => Promise<number>) => async () => {
        const before = proxy.roundTrips()
        const rows = await fn()
        if (rows !== limit) throw new Error(`${name}: ${rows} rows`)
        trips[name] = proxy.roundTrips() - before
      }

      const contenders = {
        'ours: DECLARE + FETCH, pipelined': counted('ours: DECLARE + FETCH, pipelined', () => ours.transaction(async () => {
          let rows = 0
          for await (const batch of ours.cursor(sql, [], 1000)) rows += batch.length
          return rows
        })),
        'pg-cursor 2.22.0, not pipelined': counted('pg-cursor 2.22.0, not pipelined', () => plain.transaction(async () => {
          const cursor = plain.pgClient.query(new Cursor(sql))
          let rows = 0
          // as ours: a short batch is the last
          for (let more = true; more;) {
            const batch = await cursor.read(1000)
            rows += batch.length
            more = batch.length === 1000
          }

          await cursor.close()
          return rows
        })),
      }
      await sideBySide(`cursor, ${limit} rows in a transaction, ${values.direct ? 'straight to the server' : `${delay} ms each way`}`, contenders)
      if (!values.direct) console.log(`round trips: ${Object.entries(trips).map(([name, n]) => `${name}: ${n}`).join('; ')}`)
    }

    await ours.close()
    await plain.close()
  } finally {
    await proxy.stop()
    await pg.stop()
  }
}
