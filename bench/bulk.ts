/**
 * Bulk import and export against psql, the tutorial's INSERT per row, and a
 * minimal Node script, on the same SSL PostgreSQL and Platform API stand-in
 * the tests use. Each run measures both sides back to back, alternating
 * which goes first, so machine load hits both alike; the table shows medians.
 *
 *   npm run bench -- [--rows 1000000] [--runs 5] [--out bench/results.md]
 *
 * Then actions:apply of a file of --apply-rows rows (1% of them changed)
 * onto a table of as many, against actions:import of that file into an
 * empty table; --apply-only measures just that.
 */
import os from 'node:os'
import path from 'node:path'
import {parseArgs} from 'node:util'

import {APP} from '../test/support/world.js'
import {benchApply} from './support/apply.js'
import {insertRowByRow, writeCsv} from './support/data.js'
import {applyReport, report} from './support/report.js'
import {type Measured} from './support/runner.js'
import {startStage} from './support/stage.js'

const {values} = parseArgs({
  options: {
    'apply-only': {type: 'boolean'}, 'apply-rows': {default: '100000', type: 'string'},
    out: {type: 'string'}, rows: {default: '1000000', type: 'string'}, runs: {default: '5', type: 'string'},
  },
})
const rows = Number(values.rows)
const runs = Number(values.runs)
const applyOnly = values['apply-only'] ?? false
const applyRows = Number(values['apply-rows'])
const insertSample = Math.min(rows, 20_000)
if (!Number.isInteger(rows) || rows < 10 || !Number.isInteger(runs) || runs < 1) throw new Error('--rows must be a whole number ≥ 10, --runs ≥ 1')

const stage = await startStage()
const {pg, runner, scratch} = stage
const app = ['--app', APP]
const loadBefore = os.loadavg()[0]

try {
  await runner.ours(['actions:init', ...app])
  const sizes = applyOnly ? [] : [Math.round(rows / 10), rows]
  const results: Record<number, Record<string, Measured[]>> = {}
  for (const size of sizes) {
    const file = path.join(scratch, `actions-${size}.csv`)
    await writeCsv(file, size)
    const copyIn = `\\copy actions(action,path,status) FROM '${file}' WITH (FORMAT csv, HEADER)`
    const at: Record<string, Measured[]> = {}
    const add = (name: string, m: Measured) => {
      at[name] ??= []
      at[name].push(m)
    }

    const empty = () => pg.query('TRUNCATE actions RESTART IDENTITY')
    for (let run = 0; run < runs; run++) {
      process.stderr.write(`${size.toLocaleString('en-US')} rows, run ${run + 1} of ${runs}\n`)
      const importSides: Array<[string, () => Promise<Measured>]> = [
        ['import', async () => {
          await empty()
          return runner.ours(['actions:import', file, ...app])
        }],
        ['psql import', async () => {
          await empty()
          return runner.psql(pg.url, copyIn)
        }],
      ]
      // the table ends full either way: the export side reads what the last import wrote
      for (const [name, fn] of run % 2 ? importSides.reverse() : importSides) add(name, await fn())
      // the first scan after a bulk load also writes every page (hint bits): done here, as autovacuum
      // would, so that it does not fall on whichever export side happens to go first
      await pg.query('VACUUM (ANALYZE) actions')
      const exportSides: Array<[string, () => Promise<Measured>]> = [
        ['export csv', () => runner.ours(['actions:export', '--format', 'csv', ...app], 'out.csv')],
        ['psql export', () => runner.psql(pg.url, String.raw`\copy actions TO STDOUT WITH (FORMAT csv, HEADER)`, 'psql.csv')],
        ['export ndjson', () => runner.ours(['actions:export', '--format', 'ndjson', ...app], 'out.ndjson')],
        ['list --json', () => runner.ours(['actions:list', '--json', ...app], 'list.json')],
        ['list --csv', () => runner.ours(['actions:list', '--csv', ...app], 'list.csv')],
        // a big result through actions:sql: streamed as the rows arrive, as a table and as JSON
        ['sql table', () => runner.ours(['actions:sql', 'SELECT * FROM actions', ...app], 'sql.txt')],
        ['sql --json', () => runner.ours(['actions:sql', 'SELECT * FROM actions', '--json', ...app], 'sql.json')],
      ]
      for (const [name, fn] of run % 2 ? exportSides.reverse() : exportSides) add(name, await fn())
    }

    results[size] = at
  }

  const inserts: Measured[] = []
  for (let run = 0; run < (applyOnly ? 0 : runs); run++) {
    if (run === 0) process.stderr.write(`INSERT per row, ${insertSample.toLocaleString('en-US')} rows\n`)
    await pg.query('TRUNCATE actions RESTART IDENTITY')
    inserts.push(await insertRowByRow(pg.url, insertSample))
  }

  const latency: Record<string, Measured[]> = {list: [], minimal: []}
  for (let run = 0; run < (applyOnly ? 0 : Math.max(runs, 10)); run++) {
    if (run === 0) process.stderr.write('latency of actions:list --limit 10\n')
    const sides: Array<[string, () => Promise<Measured>]> = [
      ['list', () => runner.ours(['actions:list', '--limit', '10', ...app], 'latency.txt')],
      ['minimal', () => runner.node(['bench/support/minimal-list.mjs', APP], 'minimal.txt')],
    ]
    for (const [name, fn] of run % 2 ? sides.reverse() : sides) latency[name].push(await fn())
  }

  const applied = applyReport(await benchApply(runner, pg, scratch, {
    app, changed: Math.round(applyRows / 100), rows: applyRows, runs,
  }))
  const markdown = applyOnly
    ? applied
    : report({
      inserts, insertSample, latency, load: [loadBefore, os.loadavg()[0]], results, rows, runs, sizes,
    }) + '\n' + applied
  process.stdout.write(markdown)
  if (values.out) {
    const {writeFile} = await import('node:fs/promises')
    await writeFile(values.out, markdown)
  }
} finally {
  await stage.stop()
}
