import {FEED_SQL} from './feed/schema.js'

export interface Migration {
  name: string
  sql: string[]
  version: number
}

/**
 * The schema, as versioned steps. Integer versions, never renumbered: a
 * database records which ones it has. Version 1 is the tutorial's table, so
 * a table made by the tutorial's script counts as version 1 and is upgraded
 * in place (its rows kept, ids assigned) by version 2.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'create the actions table',
    sql: [
      `CREATE TABLE IF NOT EXISTS actions (
  action VARCHAR(255) NOT NULL,
  path VARCHAR(255) NOT NULL,
  status BOOLEAN NOT NULL DEFAULT FALSE
)`,
    ],
    version: 1,
  },
  {
    name: 'add id and timestamps',
    sql: [
      'ALTER TABLE actions ADD COLUMN IF NOT EXISTS id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
      'ALTER TABLE actions ADD COLUMN IF NOT EXISTS created_at TIMESTAMPTZ NOT NULL DEFAULT now()',
      'ALTER TABLE actions ADD COLUMN IF NOT EXISTS updated_at TIMESTAMPTZ NOT NULL DEFAULT now()',
    ],
    version: 2,
  },
  {
    name: 'announce every change (the change feed: LISTEN heroku_actions)',
    sql: FEED_SQL,
    version: 3,
  },
]

export const LATEST_VERSION = MIGRATIONS.at(-1)!.version

export const MIGRATIONS_TABLE = 'heroku_actions_migrations'

export const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`
