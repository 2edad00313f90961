import type {Readable} from 'node:stream'

import {addAbortSignal} from 'node:stream'

import type {Database} from '../../db/database.js'
import type {FileFormat} from '../formats.js'

import {UserError, WriteError} from '../../errors.js'
import {interruptedError} from '../../signals.js'
import {SELECT_COLUMNS} from '../action.js'
import {copyRowError} from '../import/copy-error.js'
import {RowError} from '../import/row-error.js'
import {ImportRows} from '../import/rows.js'
import {CHECK, NOTHING_CHANGED} from './messages.js'
import {PlanCounts, PlanRenderer} from './plan-entry.js'
import {PlanTable} from './plan-table.js'
import {StagedFile} from './staged-file.js'

export interface ApplyOptions {
  /** print the plan, then roll back */
  dryRun?: boolean
  /** guessed from the first character when undefined */
  format?: FileFormat
  /** remove the rows the file does not have (confirmed by the caller) */
  prune?: boolean
  /** how to remove rows by id, for the message about a pair the table has twice */
  removeCommand: (ids: string[]) => string
  renderer: PlanRenderer
  /** aborting rolls everything back; the reason is the signal's name */
  signal?: AbortSignal
  /** where the plan goes, waiting when the reader is slow */
  write: (text: string) => Promise<void>
}

/**
 * SHARE ROW EXCLUSIVE: readers (the app's SELECTs, even SELECT ... FOR
 * UPDATE) go on, every writer (INSERT, UPDATE, DELETE: actions:add, the web
 * app marking an action done) waits until the apply commits or rolls back,
 * so no row changes between the plan and its application: the plan printed
 * is the plan applied. It conflicts with itself, so two applies take turns;
 * SHARE would let both in, and each would then wait for the other to write
 * (a deadlock). Taken after the upload, so writers wait for the plan and
 * the writes only, not for a slow pipe.
 */
const LOCK = 'LOCK TABLE actions IN SHARE ROW EXCLUSIVE MODE'

const EMPTY_PRUNE = 'the input holds no actions, and --prune would remove every action of the table: refused, since an empty input is more often '
  + `a failed export upstream than the intent (to empty the table: heroku actions:sql "DELETE FROM actions"); ${NOTHING_CHANGED}`

/**
 * actions:apply: make the actions table match `input` (CSV or NDJSON, as
 * import reads), matching rows by (action, path). In one transaction: the
 * file goes into a temporary table with one COPY, the server computes the
 * plan, the plan streams to `write`, then is applied (or, dry, rolled back).
 * Resolves with the plan's counts, once committed.
 */
export async function applyActions(db: Database, input: Readable, options: ApplyOptions): Promise<PlanCounts> {
  const {dryRun = false, prune = false, signal} = options
  if (signal) addAbortSignal(signal, input)
  const rows = new ImportRows(input, options.format)
  try {
    const columns = await rows.start()
    return await db.transaction(async () => {
      // a missing table or an old schema: the usual "run actions:init" (42P01, 42703), before the upload
      await db.query(`SELECT ${SELECT_COLUMNS} FROM actions LIMIT 0`)
      const staged = new StagedFile(db, rows)
      const count = await staged.load(columns, signal)
      if (count === 0 && prune && !dryRun) throw new UserError(EMPTY_PRUNE)
      await staged.checkDuplicates()
      return cancelOnAbort(db, signal, () => planAndApply(db, options))
    }, {check: CHECK, rollback: dryRun})
  } catch (error) {
    throw failure(error, rows, signal)
  }
}

async function planAndApply(db: Database, options: ApplyOptions): Promise<PlanCounts> {
  const {renderer, signal, write} = options
  await db.query(LOCK)
  const plan = new PlanTable(db, options.prune ?? false)
  await plan.checkTable(options.removeCommand)
  const counts = await plan.compute()
  for await (const batch of plan.entries()) {
    signal?.throwIfAborted()
    await write(renderer.entries(batch))
  }

  await write(renderer.end(counts))
  signal?.throwIfAborted()
  return options.dryRun ? counts : plan.apply(counts)
}

/** Run `fn`, cancelling its running statement on the server when `signal` aborts (Ctrl-C while waiting for the lock, say). */
async function cancelOnAbort<T>(db: Database, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  signal?.throwIfAborted()
  const cancel = () => {
    db.cancel().catch(() => {})
  }

  signal?.addEventListener('abort', cancel, {once: true})
  try {
    return await fn()
  } finally {
    signal?.removeEventListener('abort', cancel)
  }
}

function failure(error: unknown, rows: ImportRows, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return interruptedError(signal.reason, `the apply was rolled back; ${NOTHING_CHANGED}`, error)

  if (error instanceof WriteError) {
    const why = error.brokenPipe ? 'the reader of the output went away' : error.message
    return new UserError(`could not write the plan (${why}), so it was not applied; ${NOTHING_CHANGED}`, {cause: error})
  }

  // import's refusals, word for word, with what it means here
  const refused = error instanceof RowError ? error : copyRowError(error, row => rows.lineOf(row))
  return refused ? new UserError(`line ${refused.line}: ${refused.reason}; ${NOTHING_CHANGED}`, {cause: error}) : error
}
