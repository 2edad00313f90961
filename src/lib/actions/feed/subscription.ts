import type {Database} from '../../db/database.js'

import {isConnectionLost, wasNeverSent} from '../../db/pg-errors.js'
import {sleep} from '../../timers.js'
import {CHANNEL} from './schema.js'

/**
 * What a subscriber does with its connection. A handler that resolves with
 * true ends the subscription; one that throws ends it with that error.
 */
export interface Subscriber {
  /** listening on a new connection: read what may have been missed */
  connected(db: Database, again: boolean): Promise<boolean | void>
  /** the connection broke; reconnecting */
  lost?(error: unknown): void
  /** after a notification, or the heartbeat; never two at once */
  notified(db: Database): Promise<boolean | void>
  reconnected?(): void
  /** a try to reconnect failed, for another reason than the last one */
  retrying?(error: unknown): void
}

export interface SubscriptionOptions {
  firstPauseMs?: number
  /** how often to ask the server something while it is quiet, to notice a connection that died silently */
  heartbeatMs?: number
  longestPauseMs?: number
}

/** The server ended the session (57P01-57P03: terminated, shutting down, restarting) or the socket went: connect again. */
function connectionGone(error: unknown): boolean {
  const code = (error as undefined | {code?: unknown})?.code
  return isConnectionLost(error) || wasNeverSent(error) || (typeof code === 'string' && /^(57P0[123]|08...)$/.test(code))
}

type Outcome = {error: unknown; kind: 'failed'} | {error: unknown; kind: 'lost'} | {kind: 'aborted' | 'finished'}

/**
 * LISTEN to the change feed on one connection, and when it breaks, open a
 * new one (`open` asks the Platform API for the URL again: a failover or a
 * rotation changes it) with bounded backoff, until `signal` aborts. Only
 * the first connection's failure is final: after that it keeps trying.
 */
export class Subscription {
  constructor(private readonly open: () => Promise<Database>, private readonly subscriber: Subscriber, private readonly options: SubscriptionOptions = {}) {}

  async run(signal: AbortSignal, first?: Database): Promise<void> {
    const firstPause = this.options.firstPauseMs ?? 250
    let db: Database | undefined = first
    try {
      db ??= await this.open()
      let again = false
      let pause = firstPause
      let lastFailure = ''
      while (!signal.aborted) {
        if (db) {
          const outcome = await this.session(db, again, signal)
          const closing = db
          db = undefined
          await closing.close()
          if (outcome.kind === 'failed') throw outcome.error
          if (outcome.kind !== 'lost') return
          this.subscriber.lost?.(outcome.error)
          again = true
          pause = firstPause
          lastFailure = ''
          continue
        }

        await sleep(pause, signal)
        if (signal.aborted) return
        pause = Math.min(pause * 2, this.options.longestPauseMs ?? 5000)
        try {
          db = await this.open()
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error)
          if (reason !== lastFailure) this.subscriber.retrying?.(error)
          lastFailure = reason
        }
      }
    } finally {
      // a connection opened while the signal aborted (--stop-after during
      // the connect) is never used, and an open socket keeps the process alive
      await db?.close()
    }
  }

  /** One connection's life: listen, catch up, then follow notifications until it breaks, ends or is aborted. */
  private async session(db: Database, again: boolean, signal: AbortSignal): Promise<Outcome> {
    let settle!: (outcome: Outcome) => void
    const ended = new Promise<Outcome>(resolve => {
      settle = resolve
    })
    let busy = false
    let pending = false
    const attempt = async (step: () => Promise<boolean | void>) => {
      try {
        if (await step()) settle({kind: 'finished'})
      } catch (error) {
        settle(connectionGone(error) ? {error, kind: 'lost'} : {error, kind: 'failed'})
      }
    }

    // notifications that arrive while one is being handled are folded into one more read
    const follow = async (): Promise<void> => {
      if (busy) {
        pending = true
        return
      }

      busy = true
      do {
        pending = false
        await attempt(() => this.subscriber.notified(db))
      } while (pending)

      busy = false
    }

    const onAbort = () => settle({kind: 'aborted'})
    signal.addEventListener('abort', onAbort, {once: true})
    // an 'abort' already dispatched is not dispatched again to a late listener
    if (signal.aborted) onAbort()
    db.onLost(error => settle({error, kind: 'lost'}))
    const heartbeat = setInterval(() => {
      void follow()
    }, this.options.heartbeatMs ?? 30_000)
    try {
      await attempt(async () => {
        busy = true
        // on a pipelined connection LISTEN leaves with the subscriber's first reads
        const [, done] = await Promise.all([db.listen(CHANNEL, () => {
          void follow()
        }), this.subscriber.connected(db, again)])
        if (again) this.subscriber.reconnected?.()
        return done
      })
      busy = false
      if (pending) void follow()
      if (signal.aborted) onAbort()
      return await ended
    } finally {
      clearInterval(heartbeat)
      signal.removeEventListener('abort', onAbort)
    }
  }
}
