import type {Database} from '../../db/database.js'
import type {Change} from './change.js'
import type {Subscriber} from './subscription.js'

import {ExactlyOnce} from './exactly-once.js'
import {changesSince} from './read-changes.js'
import {withFeed} from './require-feed.js'

export interface WatchEvents {
  /** listening, and what was there before counted as history */
  listening(): void
  /** changes not shown yet, in commit order; resolves when they are written */
  show(changes: Change[]): Promise<void>
}

/**
 * What actions:watch does with each connection: the first one notes where
 * the log stands; every notification, and every reconnection, reads the log
 * from there and shows what is new, each change once.
 */
export function watcher(where: {initCommand: () => string; label: () => string}, events: WatchEvents): Subscriber {
  const once = new ExactlyOnce()
  const catchUp = async (db: Database) => {
    const news = once.news(await changesSince(db, once.from))
    if (news.length > 0) await events.show(news)
  }

  return {
    async connected(db) {
      if (once.from !== undefined) return catchUp(db)
      once.start(await withFeed(db, where, () => changesSince(db)))
      events.listening()
    },
    notified: catchUp,
  }
}
