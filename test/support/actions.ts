import {run} from './run.js'
import {remote, TestTarget} from './targets.js'

/** The rows the actions:list and actions:export tests start from: two deploys, one done, a path with `_` in it. */
export const LIST_SAMPLE: Array<[string, string, boolean]> = [
  ['deploy', '/api/deploy', false],
  ['backup', '/api/backup', true],
  ['deploy', '/web/deploy', false],
  ['notify', '/api_v2/notify', false],
]

/** A fresh database (example-app's, or the local one) with the current schema and these rows (action, path, status). */
export async function appWithActions(rows: Array<[string, string, boolean?]> = [], target: TestTarget = remote): Promise<void> {
  await target.fresh()
  const init = await run(['actions:init', ...target.flags])
  if (init.exitCode !== 0) throw new Error(`actions:init failed: ${init.stderr} ${init.error?.message}`)
  for (const [action, path, status] of rows) {
    await target.query('INSERT INTO actions (action, path, status) VALUES ($1, $2, $3)', [action, path, status ?? false])
  }
}
