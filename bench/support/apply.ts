import path from 'node:path'

import type {TestPostgres} from '../../test/support/postgres.js'

import {writeCsv} from './data.js'
import {type Measured, Runner} from './runner.js'

export interface ApplyResults {
  /** actions:apply of the file onto the table of `rows` rows */
  apply: Measured[]
  changed: number
  /** actions:import of the same file into an empty table */
  import: Measured[]
  rows: number
  runs: number
}

/**
 * actions:apply with `rows` rows in the table and a file of the same rows,
 * `changed` of them with the other status, against actions:import of that
 * file into an empty table. The table is loaded with psql between runs,
 * untimed; each run alternates which side goes first.
 */
export async function benchApply(runner: Runner, pg: TestPostgres, scratch: string, options: {app: string[]; changed: number; rows: number; runs: number}): Promise<ApplyResults> {
  const {app, changed, rows, runs} = options
  const base = path.join(scratch, `apply-base-${rows}.csv`)
  const file = path.join(scratch, `apply-${rows}-${changed}.csv`)
  await writeCsv(base, rows)
  await writeCsv(file, rows, changed)
  const results: ApplyResults = {
    apply: [], changed, import: [], rows, runs,
  }
  const empty = () => pg.query('TRUNCATE actions RESTART IDENTITY')
  const sides: Array<[('apply' | 'import') & keyof ApplyResults, () => Promise<Measured>]> = [
    ['import', async () => {
      await empty()
      return runner.ours(['actions:import', file, ...app])
    }],
    ['apply', async () => {
      await empty()
      await runner.psql(pg.url, `\\copy actions(action,path,status) FROM '${base}' WITH (FORMAT csv, HEADER)`)
      await pg.query('VACUUM (ANALYZE) actions')
      return runner.ours(['actions:apply', file, ...app], 'apply-plan.txt')
    }],
  ]
  for (let run = 0; run < runs; run++) {
    process.stderr.write(`apply: ${rows.toLocaleString('en-US')} rows, ${changed.toLocaleString('en-US')} changed, run ${run + 1} of ${runs}\n`)
    for (const [name, fn] of run % 2 ? [...sides].reverse() : sides) results[name].push(await fn())
  }

  return results
}
