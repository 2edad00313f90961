// Preloaded (node --import) into a command the benchmark runs: on exit,
// append the process's peak resident set size (kB) to $BENCH_RSS_FILE.
import {appendFileSync} from 'node:fs'

process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) appendFileSync(process.env.BENCH_RSS_FILE, `${process.resourceUsage().maxRSS}\n`)
})
