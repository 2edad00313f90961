import {run} from './run.js'
import {APP, freshApp, getWorld} from './world.js'

/** A fresh example-app whose database has the current schema and these rows (action, path, status). */
export async function appWithActions(rows: Array<[string, string, boolean?]> = []): Promise<void> {
  await freshApp()
  const init = await run(['actions:init', '--app', APP])
  if (init.exitCode !== 0) throw new Error(`actions:init failed: ${init.stderr}`)
  for (const [action, path, status] of rows) {
    // eslint-disable-next-line no-await-in-loop
    await getWorld().pg.query('INSERT INTO actions (action, path, status) VALUES ($1, $2, $3)', [action, path, status ?? false])
  }
}
