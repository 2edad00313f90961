/**
 * npm run bench: every benchmark that takes --rows and --runs, one after
 * another, each given the same arguments.
 */
import {spawnSync} from 'node:child_process'

for (const bench of ['bench/bulk.ts', 'bench/feed.ts']) {
  const {status} = spawnSync(process.execPath, ['--import', 'tsx', bench, ...process.argv.slice(2)], {stdio: 'inherit'})
  if (status !== 0) process.exit(status ?? 1)
}
