import pg from 'pg'

import {eventually, type RunningBin, startBin} from './run.js'
import {getWorld} from './world.js'

/** Start a command that follows the feed (watch, wait, add --wait) and resolve once its stderr says it is listening (`Watching`/`Waiting`). */
export async function startFollowing(argv: string[], ready: RegExp): Promise<RunningBin> {
  const running = startBin(argv)
  await eventually(() => (ready.test(running.output()) ? true : undefined), 20_000, `${ready} from ${argv[0]}: ${running.output()}`)
  return running
}

/** The plugin's connections to the test server (application_name heroku-actions), by pid. */
export async function pluginBackends(): Promise<number[]> {
  const rows = await getWorld().pg.query<{pid: number}>("SELECT pid FROM pg_stat_activity WHERE application_name = 'heroku-actions'")
  return rows.map(r => r.pid)
}

/** End the plugin's sessions from the server side, as a restart or failover does. */
export async function terminatePlugin(): Promise<number> {
  const rows = await getWorld().pg.query<{pid: number}>("SELECT pid, CASE WHEN application_name = 'heroku-actions' THEN pg_terminate_backend(pid) END FROM pg_stat_activity WHERE application_name = 'heroku-actions'")
  // CASE, not AND: the planner may call pg_terminate_backend before the other condition
  return rows.length
}

/** A plain pg client, as the web app or any other program would hold, connected as the app's role. */
export async function otherClient(): Promise<pg.Client> {
  const client = new pg.Client({application_name: 'other-client', connectionString: getWorld().pg.url, ssl: {rejectUnauthorized: false}})
  await client.connect()
  return client
}

/** stdout as NDJSON objects. */
export function ndjson(stdout: string): Array<Record<string, unknown>> {
  return stdout.split('\n').filter(Boolean).map(line => JSON.parse(line) as Record<string, unknown>)
}
