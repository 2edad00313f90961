/**
 * Kept instead of proper-lockfile 4.1.2 (issue 12; bench/libraries.ts, numbers in
 * bench/results.md). Speed is a wash: 2,000 acquire/release cycles took
 * 3.4 s here and 4.3 s there at load 8, 0.87 s and 0.67 s at load 5 (medians
 * of 7), and the lock is held around initdb and pg_ctl, which take seconds.
 * The semantics are not:
 * - a holder killed with SIGKILL: a waiter here has the lock in 3 ms (the pid
 *   is dead); proper-lockfile waits for its stale time, 10.6 s by default,
 *   and cannot go below 2 s;
 * - a holder alive but busy: proper-lockfile's holder must touch the lock
 *   every few seconds from its event loop, or another process takes it and
 *   the holder's default onCompromised throws; here a live pid keeps it
 *   (for STALE_LOCK_MS, against a reused pid);
 * - the message names the pid that holds the lock, which proper-lockfile
 *   does not record.
 * Its strength, locks across machines on a network file system, is of no
 * use to a database that runs on this machine.
 */
import {randomBytes} from 'node:crypto'
import {
  link, open, readFile, stat, unlink, writeFile,
} from 'node:fs/promises'

import {UserError} from '../errors.js'
import {isAlive, sleep} from './processes.js'

/** The guard around breaking a stale lock is held for microseconds; older than this, its holder died. */
const STALE_GUARD_MS = 10_000
/**
 * The lock is held only around init, start and stop. One this old belongs to
 * a pid that was reused after its owner died (a reboot, say).
 */
const STALE_LOCK_MS = 5 * 60_000

/**
 * A lock file between processes that holds its owner's pid. It is made whole
 * and then hard-linked into place, so nobody ever reads a half-written one.
 * A lock whose owner is dead (killed with SIGKILL, say) is broken, under a
 * short guard so that two waiters cannot both break it and one of them
 * remove the other's new lock.
 */
export class FileLock {
  private held = false

  constructor(readonly file: string, private readonly timeoutMs = 60_000) {}

  async acquire(): Promise<void> {
    const deadline = Date.now() + this.timeoutMs
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      if (await this.tryAcquire()) return
      const owner = await this.owner()
      if (owner !== undefined && (!isAlive(owner) || await this.olderThan(STALE_LOCK_MS))) {
        await this.breakStale(owner)
        continue
      }

      if (Date.now() > deadline) {
        throw new UserError(`another heroku-actions command (pid ${owner}) has held ${this.file} for ${Math.round(this.timeoutMs / 1000)} s: let it finish, or end it, and run this again`)
      }

      await sleep(wait + (Math.random() * wait))
    }
  }

  async release(): Promise<void> {
    if (!this.held) return
    this.held = false
    if ((await this.owner()) === process.pid) await unlink(this.file).catch(() => {})
  }

  async with<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire()
    try {
      return await fn()
    } finally {
      await this.release()
    }
  }

  private async breakStale(deadOwner: number): Promise<void> {
    const guard = `${this.file}.break`
    let handle
    try {
      handle = await open(guard, 'wx')
    } catch {
      const age = await stat(guard).then(s => Date.now() - s.mtimeMs, () => 0)
      if (age > STALE_GUARD_MS) await unlink(guard).catch(() => {})
      await sleep(5)
      return
    }

    try {
      if ((await this.owner()) === deadOwner) await unlink(this.file).catch(() => {})
    } finally {
      await handle.close()
      await unlink(guard).catch(() => {})
    }
  }

  private async olderThan(ms: number): Promise<boolean> {
    return stat(this.file).then(s => Date.now() - s.mtimeMs > ms, () => false)
  }

  /** The pid in the lock file; undefined when there is none. */
  private async owner(): Promise<number | undefined> {
    try {
      const pid = Number.parseInt(await readFile(this.file, 'utf8'), 10)
      // unreadable content cannot come from us (the file appears whole): treat it as dead
      return Number.isInteger(pid) ? pid : 0
    } catch {
      return undefined
    }
  }

  private async tryAcquire(): Promise<boolean> {
    const temporary = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}`
    await writeFile(temporary, `${process.pid}\n`)
    try {
      await link(temporary, this.file)
      this.held = true
      return true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw error
    } finally {
      await unlink(temporary).catch(() => {})
    }
  }
}
