import type {Database} from '../../db/database.js'
import type {Action} from '../action.js'
import type {Subscriber} from './subscription.js'

import {formatDuration} from '../../duration.js'
import {UserError} from '../../errors.js'
import {type Interrupt, interruptedError, interruptible} from '../../signals.js'
import {withDeadline} from '../../timers.js'
import {SELECT_COLUMNS} from '../action.js'
import {type FeedTarget, follow} from './follow.js'
import {withFeed} from './require-feed.js'

export interface WaitState {
  pending(): string[]
  /** the rows as they were last read, in the order of the ids asked for */
  rows: Action[]
}

/**
 * What actions:wait does with each connection: read the actions' status
 * now, then again after each notification of the feed, until every one is
 * done. Reading the rows (rather than the notifications' content) makes a
 * reconnection need nothing more: the next read sees what happened meanwhile.
 */
export function waiter(ids: string[], where: {initCommand: () => string; label: () => string}, events: {waiting(state: WaitState): void}): {state: WaitState; subscriber: Subscriber} {
  let first = true
  const state: WaitState = {
    pending: () => state.rows.filter(row => !row.status).map(row => String(row.id)),
    rows: [],
  }
  const check = async (db: Database): Promise<boolean> => {
    const {rows} = await db.query<Action>(`SELECT ${SELECT_COLUMNS} FROM actions WHERE id = ANY($1::bigint[])`, [ids])
    const missing = ids.filter(id => !rows.some(row => String(row.id) === id))
    if (missing.length > 0) {
      const which = `${missing.length === 1 ? 'action' : 'actions'} ${missing.join(', ')}`
      throw new UserError(first ? `no ${which} on ${where.label()} (see heroku actions:list)` : `${which} ${missing.length === 1 ? 'was' : 'were'} removed while waiting`)
    }

    state.rows = ids.map(id => rows.find(row => String(row.id) === id)!)
    return state.pending().length === 0
  }

  return {
    state,
    subscriber: {
      async connected(db) {
        const done = await (first ? withFeed(db, where, () => check(db)) : check(db))
        if (first && !done) events.waiting(state)
        first = false
        return done
      },
      notified: check,
    },
  }
}

/**
 * Wait, following the change feed, until every action of `ids` is done;
 * resolves with their rows. A timeout, an action removed meanwhile, or
 * Ctrl-C (exit 130) end it with an error; the actions are never changed.
 */
export async function waitUntilDone(target: FeedTarget, ids: string[], timeoutMs = 600_000, first?: Database): Promise<Action[]> {
  const which = (list: string[]) => `${list.length === 1 ? 'action' : 'actions'} ${list.join(', ')}`
  const {state, subscriber} = waiter(ids, target, {
    waiting: ({pending}) => target.notice(`Waiting for ${which(pending())} on ${target.label()} to be done: Ctrl-C to stop.`),
  })
  const interrupted = await interruptible(async signal => {
    await withDeadline(signal, timeoutMs, async both => follow(target, subscriber, both, first))
    return signal.aborted ? signal.reason as Interrupt : undefined
  })
  if (interrupted) throw interruptedError(interrupted, `stopped waiting for ${which(ids)}; nothing was changed`)
  const pending = state.pending()
  if (pending.length > 0 || state.rows.length === 0) {
    throw new UserError(`timed out after ${formatDuration(timeoutMs)}: ${which(pending)} still pending, left as they are (wait longer with --timeout)`)
  }

  return state.rows
}
