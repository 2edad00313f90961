import {LOCAL_USER} from '../../src/lib/local/local-database.js'
import {
  APP, freshApp, getWorld, type StoredAction,
} from './world.js'

type Row = StoredAction

/**
 * Where a command test points the command: an app's database found through
 * the Platform API stand-in, or the local database (--local). The same test
 * runs against both.
 */
export interface TestTarget {
  /** the rows of the actions table, in id order */
  actions(): Promise<Row[]>
  /** what --confirm expects */
  confirm: string
  /** argv that picks the database */
  flags: string[]
  /** an empty database: no tables */
  fresh(): Promise<void>
  /** the command that messages tell a user to run first */
  initCommand: string
  /** how messages name the database */
  label: string
  name: 'local' | 'remote'
  /** the role the commands connect as, to own tables a test makes */
  owner(): string
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
}

const DROP = 'DROP TABLE IF EXISTS actions, heroku_actions_migrations, heroku_actions_changes'
const ROWS = 'SELECT id::int AS id, action, path, status FROM actions ORDER BY id'

export const remote: TestTarget = {
  actions: () => getWorld().pg.query<Row>(ROWS),
  confirm: APP,
  flags: ['--app', APP],
  async fresh() {
    await freshApp()
  },
  initCommand: `heroku actions:init -a ${APP}`,
  label: `DATABASE on ${APP}`,
  name: 'remote',
  owner: () => getWorld().pg.user,
  query: (sql, params) => getWorld().pg.query(sql, params),
}

export const local: TestTarget = {
  actions: () => getWorld().local.query<Row>(ROWS),
  confirm: 'local',
  flags: ['--local'],
  async fresh() {
    await getWorld().local.query(DROP)
  },
  initCommand: 'heroku actions:init --local',
  label: 'the local database',
  name: 'local',
  owner: () => LOCAL_USER,
  query: (sql, params) => getWorld().local.query(sql, params),
}

/** describe(title) once per target. */
export function forEachTarget(title: string, body: (target: TestTarget) => void): void {
  for (const target of [remote, local]) {
    describe(`${title} (${target.name})`, function () {
      body(target)
    })
  }
}
