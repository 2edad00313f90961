import type {Change} from './change.js'
import type {ChangesSince} from './read-changes.js'

/**
 * Which logged changes a watcher has already shown, so that reading the log
 * again (after a notification, or after reconnecting) shows each change
 * exactly once.
 *
 * Log sequence numbers alone cannot do it: a transaction that started first
 * takes the lower number but may commit last, after a higher number was
 * shown. So the log is read by transaction id instead: from `horizon`, the
 * oldest transaction that had not ended when the log was last read. Every
 * transaction below it had ended by then, so its entries were in that read;
 * entries at or above it may come later and are compared with what was shown.
 */
export class ExactlyOnce {
  private horizon: bigint | undefined
  private readonly shown = new Map<string, bigint>()

  /** The transaction id to read the log from; undefined before the first read. */
  get from(): bigint | undefined {
    return this.horizon
  }

  /** The changes of `read` not shown yet, in log order; they count as shown from now on. */
  news(read: ChangesSince): Change[] {
    // a log entry of several rows is several changes with one seq
    const fresh = read.changes.filter(({change}) => !this.shown.has(change.seq)).map(({change}) => change)
    for (const {change, txid} of read.changes) this.shown.set(change.seq, txid)
    this.advance(read.xmin)
    return fresh
  }

  /** The first read: what is in the log already is history, not news. */
  start(read: ChangesSince): void {
    for (const {change, txid} of read.changes) this.shown.set(change.seq, txid)
    this.advance(read.xmin)
  }

  private advance(xmin: bigint): void {
    if (this.horizon !== undefined && xmin <= this.horizon) return
    this.horizon = xmin
    for (const [seq, txid] of this.shown) if (txid < xmin) this.shown.delete(seq)
  }
}
