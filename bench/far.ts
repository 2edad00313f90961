/**
 * Every command that touches the database, from far away: a TCP proxy adds
 * the one-way delay in front of the SSL server (and counts the client's
 * flights: database round trips), the Platform API stand-in answers after a
 * round trip. Each command runs side by side with bench/support/bare.mjs
 * doing the same statement (one config-vars call, an SSL connect, the
 * statement), alternating which goes first; medians.
 *
 *   npm run build && node --import tsx bench/far.ts [--runs 5] [--delays 0,20,75]
 */
import path from 'node:path'
import {parseArgs} from 'node:util'

import {latencyProxy} from '../test/support/latency-proxy.js'
import {APP} from '../test/support/world.js'
import {writeCsv} from './support/data.js'
import {median} from './support/report.js'
import {startStage} from './support/stage.js'

const {values} = parseArgs({options: {delays: {default: '0,20,75', type: 'string'}, only: {type: 'string'}, runs: {default: '5', type: 'string'}}, strict: false})
const runs = Number(values.runs)
const delays = String(values.delays).split(',').map(Number)

interface Case {
  /** the plugin's argv, without --app */
  argv: string[]
  /** bare.mjs's arguments after APP */
  bare: string[]
  name: string
  /** put the table in the state the command expects, before each run (not timed) */
  prepare?: () => Promise<void>
}

const stage = await startStage()
const {api, pg, runner, scratch} = stage
const file = path.join(scratch, 'actions-10k.csv')
await writeCsv(file, 10_000)
const rows10k = async () => {
  await pg.query("TRUNCATE actions RESTART IDENTITY; INSERT INTO actions (action, path) SELECT 'deploy', '/api/' || g FROM generate_series(1, 10000) g")
}

const LIST = 'SELECT id, action, path, status, created_at, updated_at FROM actions ORDER BY id LIMIT 10'
const cases: Case[] = [
  {argv: ['actions:init'], bare: ['sql', 'SELECT max(version) FROM heroku_actions_migrations'], name: 'init (up to date)'},
  {argv: ['actions:list', '--limit', '10'], bare: ['sql', LIST], name: 'list --limit 10'},
  {argv: ['actions:add', 'deploy', '/api/deploy'], bare: ['sql', "INSERT INTO actions (action, path) VALUES ('deploy', '/api/deploy') RETURNING *"], name: 'add'},
  {argv: ['actions:update', '5', '--path', '/v2'], bare: ['sql', "UPDATE actions SET path = '/v2', updated_at = now() WHERE id = 5 RETURNING *"], name: 'update'},
  {argv: ['actions:done', '6'], bare: ['sql', 'UPDATE actions SET status = true WHERE id = 6 RETURNING *'], name: 'done'},
  {
    argv: ['actions:remove', '7', '--confirm', APP], bare: ['sql', 'DELETE FROM actions WHERE id = 7 RETURNING *'], name: 'remove', async prepare() {
      await pg.query("INSERT INTO actions (id, action, path) OVERRIDING SYSTEM VALUE VALUES (7, 'x', '/x') ON CONFLICT DO NOTHING")
    },
  },
  {argv: ['actions:info'], bare: ['sql', 'SELECT version(), (SELECT count(*) FROM actions WHERE status), (SELECT count(*) FROM actions WHERE NOT status)'], name: 'info'},
  {argv: ['actions:sql', 'SELECT count(*) FROM actions'], bare: ['sql', 'SELECT count(*) FROM actions'], name: 'sql'},
  {
    argv: ['actions:wait', '6'], bare: ['sql', 'SELECT status FROM actions WHERE id = 6'], name: 'wait (done already)', async prepare() {
      await pg.query('UPDATE actions SET status = true WHERE id = 6')
    },
  },
  {
    argv: ['actions:import', file], bare: ['copy-in', file], name: 'import 10k', async prepare() {
      await pg.query('TRUNCATE actions RESTART IDENTITY')
    },
  },
  {
    argv: ['actions:export'], bare: ['copy-out'], name: 'export 10k', prepare: rows10k,
  },
]

interface Side {apiCalls: number; ms: number; trips: number}
const table: string[] = ['| command | delay (one way) | heroku-actions | bare script | ratio | DB round trips (bare) | API calls (bare) |', '|---|---|---|---|---|---|---|']
try {
  for (const delay of delays) {
    const proxy = await latencyProxy(pg.port, delay)
    const url = new URL(pg.url)
    url.port = String(proxy.port)
    api.reset()
    api.setApp({databases: [{attachment: 'DATABASE', url: url.toString()}], name: APP})
    api.delayMs = 2 * delay
    await runner.ours(['actions:init', '--app', APP])
    for (const c of cases.filter(c => !values.only || c.name.startsWith(String(values.only)))) {
      const sides: Record<'bare' | 'ours', Side[]> = {bare: [], ours: []}
      for (let run = 0; run < runs; run++) {
        process.stderr.write(`${delay} ms, ${c.name}, run ${run + 1} of ${runs}\n`)
        // eslint-disable-next-line max-depth -- delay, case, run, side: the measurement's four dimensions
        for (const side of run % 2 ? ['bare', 'ours'] as const : ['ours', 'bare'] as const) {
          await rows10k()
          await c.prepare?.()
          const trips = proxy.roundTrips()
          api.requests = []
          const measured = side === 'ours'
            ? await runner.ours([...c.argv, '--app', APP], 'out.txt')
            : await runner.node(['bench/support/bare.mjs', APP, ...c.bare], 'bare.txt')
          sides[side].push({apiCalls: api.requests.length, ms: measured.ms, trips: proxy.roundTrips() - trips})
        }
      }

      const [ours, bare] = [median(sides.ours.map(s => s.ms)), median(sides.bare.map(s => s.ms))]
      const count = (side: Side[], key: 'apiCalls' | 'trips') => median(side.map(s => s[key]))
      table.push(`| ${c.name} | ${delay} ms | ${(ours / 1000).toFixed(2)} s | ${(bare / 1000).toFixed(2)} s | ${(ours / bare).toFixed(2)}x | ${count(sides.ours, 'trips')} (${count(sides.bare, 'trips')}) | ${count(sides.ours, 'apiCalls')} (${count(sides.bare, 'apiCalls')}) |`)
    }

    await proxy.stop()
  }

  process.stdout.write(`${table.join('\n')}\n`)
} finally {
  await stage.stop()
}
