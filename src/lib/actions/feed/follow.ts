import type {Database} from '../../db/database.js'

import {redact} from '../../db/redact.js'
import {errorMessage} from '../../errors.js'
import {printable} from '../../output/printable.js'
import {type Subscriber, Subscription} from './subscription.js'

/** What following the feed needs from the command: a fresh connection, and how to talk to the user. */
export interface FeedTarget {
  initCommand(): string
  /** where the rows live, for messages (never the URL) */
  label(): string
  /** a line for the user on stderr */
  notice(line: string): void
  /** a connection, resolved anew (a failover or a rotation changes the URL) */
  open(): Promise<Database>
}

/**
 * Follow the change feed until `signal` aborts or `subscriber` is done:
 * one connection at a time, each resolved anew, with what reconnecting
 * does said on stderr. `first` is a connection already open to start with.
 */
export async function follow(target: FeedTarget, subscriber: Subscriber, signal: AbortSignal, first?: Database): Promise<void> {
  let lostAt = 0
  const subscription = new Subscription(() => target.open(), {
    lost(error) {
      lostAt = Date.now()
      target.notice(printable(redact(`Lost the connection to ${target.label()} (${errorMessage(error)}); reconnecting...`)))
    },
    reconnected: () => target.notice(`Reconnected to ${printable(target.label())} after ${((Date.now() - lostAt) / 1000).toFixed(1)} s.`),
    retrying: error => target.notice(printable(redact(`Still reconnecting: ${errorMessage(error)}`))),
    ...subscriber,
  })
  await subscription.run(signal, first)
}
