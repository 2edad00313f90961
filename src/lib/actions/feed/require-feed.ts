import type {Database} from '../../db/database.js'

import {UserError} from '../../errors.js'
import {CHANGES_TABLE} from './schema.js'

/**
 * `read` once the feed is known to be there: watching and waiting need it
 * (schema version 3), and say how to get it rather than wait for
 * notifications that never come. Both queries leave together on a pipelined
 * connection; when the feed is missing, its error wins over `read`'s.
 */
export async function withFeed<T>(db: Database, where: {initCommand: () => string; label: () => string}, read: () => Promise<T>): Promise<T> {
  const [feed, result] = await Promise.allSettled([requireFeed(db, where.label(), where.initCommand()), read()])
  if (feed.status === 'rejected') throw feed.reason
  if (result.status === 'rejected') throw result.reason
  return result.value
}

async function requireFeed(db: Database, label: string, initCommand: string): Promise<void> {
  const {rows: [state]} = await db.query<{feed: boolean; table: boolean}>(`SELECT to_regclass('actions') IS NOT NULL AS table,
       EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass('actions') AND tgname = 'heroku_actions_announce_insert')
       AND to_regclass('${CHANGES_TABLE}') IS NOT NULL AS feed`)
  if (!state.table) throw new UserError(`the actions table does not exist on ${label}: run ${initCommand}`)
  if (!state.feed) throw new UserError(`the actions table is not up to date on ${label} (it has no change feed): run ${initCommand} to upgrade it; every row is kept`)
}
