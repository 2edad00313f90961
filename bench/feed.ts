/**
 * What the change feed costs bulk work: actions:import of the same file into
 * an empty table with the feed's triggers installed and without them, side
 * by side (alternating which goes first), medians of --runs.
 *
 *   node --import tsx bench/feed.ts [--rows 1000000] [--runs 5]
 */
import path from 'node:path'
import {parseArgs} from 'node:util'

import {APP} from '../test/support/world.js'
import {writeCsv} from './support/data.js'
import {median} from './support/report.js'
import {type Measured} from './support/runner.js'
import {startStage} from './support/stage.js'

// not strict: npm run bench hands every benchmark the same arguments (bulk.ts's --out among them)
const {values} = parseArgs({options: {rows: {default: '1000000', type: 'string'}, runs: {default: '5', type: 'string'}}, strict: false})
const rows = Number(values.rows)
const runs = Number(values.runs)

const stage = await startStage()
const {pg, runner, scratch} = stage
const app = ['--app', APP]
const TRIGGERS = ['insert', 'update', 'delete', 'truncate'].map(op => `heroku_actions_announce_${op}`)

try {
  await runner.ours(['actions:init', ...app])
  const file = path.join(scratch, 'actions.csv')
  await writeCsv(file, rows)
  const times: Record<string, Measured[]> = {'without the feed': [], 'with the feed': []}
  const importWith = async (feed: boolean) => {
    await pg.query(TRIGGERS.map(t => `ALTER TABLE actions ${feed ? 'ENABLE' : 'DISABLE'} TRIGGER ${t}`).join('; '))
    await pg.query('TRUNCATE actions RESTART IDENTITY')
    await pg.query('VACUUM actions')
    times[feed ? 'with the feed' : 'without the feed'].push(await runner.ours(['actions:import', file, ...app]))
  }

  for (let run = 0; run < runs; run++) {
    process.stderr.write(`${rows.toLocaleString('en-US')} rows, run ${run + 1} of ${runs}\n`)
    for (const feed of run % 2 ? [true, false] : [false, true]) await importWith(feed)
  }

  const [withFeed, without] = [median(times['with the feed'].map(m => m.ms)), median(times['without the feed'].map(m => m.ms))]
  const ratio = withFeed / without
  process.stdout.write(`| import ${rows.toLocaleString('en-US')} rows | with the feed ${(withFeed / 1000).toFixed(2)} s | without ${(without / 1000).toFixed(2)} s | ${ratio.toFixed(2)}x | ≤ 1.10x: ${ratio <= 1.1 ? 'met' : '**missed**'} |\n`)
} finally {
  await stage.stop()
}
