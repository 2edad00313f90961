import type {Database} from '../../db/database.js'
import type {Column} from '../import/columns.js'
import type {ImportRows} from '../import/rows.js'

import {copyIn} from '../../db/copy-in.js'
import {UserError} from '../../errors.js'
import {NOTHING_CHANGED} from './messages.js'

export const STAGED = 'heroku_actions_apply_rows'

/**
 * The same types as the actions table, so the server refuses what import
 * would refuse (a timestamp it cannot read); `n` numbers the rows in the
 * order COPY stores them, which ImportRows maps back to lines of the file.
 * id, created_at and updated_at are read, checked and then ignored.
 */
const CREATE = `CREATE TEMPORARY TABLE ${STAGED} (
  n BIGINT GENERATED ALWAYS AS IDENTITY,
  id BIGINT,
  action VARCHAR(255) NOT NULL,
  path VARCHAR(255) NOT NULL,
  status BOOLEAN NOT NULL DEFAULT FALSE,
  created_at TIMESTAMPTZ,
  updated_at TIMESTAMPTZ
) ON COMMIT DROP`

// hashed, not sorted: the earliest pair that comes again, then where it comes again
const FIRST_DUPLICATE = `SELECT d.action, d.path, d.first,
  (SELECT min(s.n) FROM ${STAGED} s WHERE s.action = d.action AND s.path = d.path AND s.n > d.first) AS second
FROM (SELECT action, path, min(n) AS first FROM ${STAGED} GROUP BY action, path HAVING count(*) > 1 ORDER BY first LIMIT 1) d`

/** The file in a temporary table of the transaction, for the server to compare with the actions table. */
export class StagedFile {
  constructor(private readonly db: Database, private readonly rows: ImportRows) {}

  /** Refuse a pair that the file has twice, naming both lines. */
  async checkDuplicates(): Promise<void> {
    const {rows: [twice]} = await this.db.query<{action: string; first: string; path: string; second: string}>(FIRST_DUPLICATE)
    if (!twice) return
    const [first, second] = [this.rows.lineOf(Number(twice.first)), this.rows.lineOf(Number(twice.second))]
    throw new UserError(`lines ${first} and ${second} both have action ${JSON.stringify(twice.action)} and path ${JSON.stringify(twice.path)}: `
      + `apply matches rows by action and path, so each pair may appear once in the file; ${NOTHING_CHANGED}`)
  }

  /** Create the table and COPY the file into it; resolves with the number of rows. */
  async load(columns: readonly Column[], signal?: AbortSignal): Promise<number> {
    await this.db.query(CREATE)
    // column names from the fixed list in columns.ts, never the input's own text
    return copyIn(this.db, `COPY ${STAGED} (${columns.join(', ')}) FROM STDIN`, this.rows.chunks(), signal)
  }
}
