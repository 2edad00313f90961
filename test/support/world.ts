import type {Action} from '../../src/lib/actions/action.js'

import {SharedLocal} from './local.js'
import {FakeDatabase, PlatformApi} from './platform-api.js'
import {startPostgres, TestPostgres} from './postgres.js'

export const APP = 'example-app'
export const TOKEN = 'test-api-token-0123456789'

/**
 * What every test shares: one real SSL PostgreSQL and one Platform API
 * stand-in, started once; and local mode's database, started on first use.
 */
export interface World {
  api: PlatformApi
  local: SharedLocal
  pg: TestPostgres
}

let world: undefined | World

export function getWorld(): World {
  if (!world) throw new Error('the test world is not started: run the tests through mocha with .mocharc.json')
  return world
}

export async function startWorld(): Promise<World> {
  const [pg, api, local] = await Promise.all([startPostgres(), startApi(), SharedLocal.create()])
  world = {api, local, pg}
  process.env.HEROKU_HOST = api.url
  process.env.HEROKU_API_KEY = TOKEN
  // the Data API (bastions) lands on the stand-in too, and the CLI libraries
  // report nothing to Sentry: no test ever talks to anything but 127.0.0.1
  process.env.HEROKU_DATA_HOST = '127.0.0.1'
  process.env.DISABLE_TELEMETRY = 'true'
  delete process.env.HEROKU_APP
  delete process.env.DATABASE_URL
  delete process.env.PGSSLMODE
  return world
}

async function startApi(): Promise<PlatformApi> {
  const api = new PlatformApi({token: TOKEN})
  await api.start()
  return api
}

export async function stopWorld(): Promise<void> {
  await Promise.all([world?.api.stop(), world?.pg.stop(), world?.local.stop()])
  world = undefined
}

/** example-app with one database (DATABASE, also HEROKU_POSTGRESQL_RED), pointing at the test server; no tables. */
export async function freshApp(databases?: FakeDatabase[]): Promise<World> {
  const w = getWorld()
  w.api.reset()
  w.api.setApp({databases: databases ?? [{aliases: ['HEROKU_POSTGRESQL_RED'], attachment: 'DATABASE', url: w.pg.url}], name: APP})
  await dropTables()
  return w
}

export async function dropTables(): Promise<void> {
  await getWorld().pg.query('DROP TABLE IF EXISTS actions, heroku_actions_migrations, heroku_actions_changes')
}

/** A row as the tests read it back: ids small enough for a number (id::int). */
export type StoredAction = Pick<Action, 'action' | 'path' | 'status'> & {id: number}

/** The actions table as the database holds it, in id order. */
export async function actionsInDb(): Promise<StoredAction[]> {
  return getWorld().pg.query('SELECT id::int AS id, action, path, status FROM actions ORDER BY id')
}
