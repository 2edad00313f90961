import type {Database} from '../../db/database.js'

import {UserError} from '../../errors.js'
import {CHANGES_TABLE} from './schema.js'

/** Watching and waiting need the feed (schema version 3): say how to get it, rather than wait for notifications that never come. */
export async function requireFeed(db: Database, label: string, initCommand: string): Promise<void> {
  const {rows: [state]} = await db.query<{feed: boolean; table: boolean}>(
    `SELECT to_regclass('actions') IS NOT NULL AS table,
       EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass('actions') AND tgname = 'heroku_actions_announce_insert')
       AND to_regclass('${CHANGES_TABLE}') IS NOT NULL AS feed`,
  )
  if (!state.table) throw new UserError(`the actions table does not exist on ${label}: run ${initCommand}`)
  if (!state.feed) throw new UserError(`the actions table is not up to date on ${label} (it has no change feed): run ${initCommand} to upgrade it; every row is kept`)
}
