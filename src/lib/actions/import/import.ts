import type {Readable} from 'node:stream'

import {addAbortSignal} from 'node:stream'

import type {Database} from '../../db/database.js'

import {copyIn} from '../../db/copy-in.js'
import {UserError} from '../../errors.js'
import {interruptedError} from '../../signals.js'
import {SELECT_COLUMNS} from '../action.js'
import {type FileFormat} from '../formats.js'
import {Column} from './columns.js'
import {copyRowError} from './copy-error.js'
import {NOTHING_IMPORTED} from './row-error.js'
import {ImportRows, ProgressSink} from './rows.js'

export interface ImportOptions {
  /** guessed from the first character when undefined */
  format?: FileFormat
  progress?: ProgressSink
  /** aborting stops the import and rolls it back; the reason is the signal's name */
  signal?: AbortSignal
}

// ids given in the file: the next actions:add must not collide with them
const ADVANCE_SEQUENCE = `SELECT setval(seq, max_id) FROM (
  SELECT pg_get_serial_sequence('actions', 'id') AS seq, (SELECT max(id) FROM actions) AS max_id) s
WHERE max_id > coalesce(pg_sequence_last_value(seq::regclass), 0)`

/**
 * Import every row of `input` (CSV with a header, NDJSON, or a JSON array) into the
 * actions table with one COPY, in one transaction: all the rows, or none
 * and an error naming the line. Resolves with the number of rows imported.
 */
export async function importActions(db: Database, input: Readable, options: ImportOptions = {}): Promise<number> {
  const {signal} = options
  if (signal) addAbortSignal(signal, input)
  const rows = new ImportRows(input, options.format, options.progress)
  try {
    const columns = await rows.start()
    return await db.transaction(async () => {
      // a missing table or an old schema: the usual "run actions:init" (42P01, 42703)
      await db.query(`SELECT ${SELECT_COLUMNS} FROM actions LIMIT 0`)
      const count = await copyIn(db, copyStatement(columns), rows.chunks(), signal)
      if (columns.includes('id')) await db.query(ADVANCE_SEQUENCE)
      return count
    }, {check: 'check with heroku actions:list'})
  } catch (error) {
    throw failure(error, rows, signal)
  }
}

/** Column names from the fixed list in columns.ts, never the input's own text. */
function copyStatement(columns: readonly Column[]): string {
  return `COPY actions (${columns.join(', ')}) FROM STDIN`
}

function failure(error: unknown, rows: ImportRows, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return interruptedError(signal.reason, `the import was rolled back; ${NOTHING_IMPORTED}`, error)

  if (error instanceof UserError) return error
  return copyRowError(error, row => rows.lineOf(row)) ?? error
}
