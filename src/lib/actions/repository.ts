import type {Writable} from 'node:stream'

import type {Database} from '../db/database.js'

import {copyOut, type CopyOutOptions} from '../db/copy-out.js'
import {UserError} from '../errors.js'
import {JsonArrayLines} from '../output/lines.js'
import {writeOut} from '../output/write.js'
import {Action, ListFilter, SELECT_COLUMNS} from './action.js'
import {copyQuery} from './copy-query.js'
import {type FileFormat} from './formats.js'
import {listQuery} from './list-query.js'
import {checkText, parseIds} from './validate.js'

/** Rows a cursor fetches at a time: what list holds in memory at most. */
const BATCH = 1000

/** What a user can do when a change may or may not have been committed. */
const CHECK = 'check with heroku actions:list'

export interface NewAction {
  action: string
  done?: boolean
  path: string
}

export interface ActionChanges {
  action?: string
  path?: string
  status?: boolean
}

/** Every read and write of the actions table; values always as parameters. */
export class ActionsRepository {
  constructor(private readonly db: Database) {}

  async add(input: NewAction): Promise<Action> {
    const action = checkText('action', input.action)
    const path = checkText('path', input.path)
    // in a transaction, so that a connection lost before COMMIT is known to have changed nothing
    return this.db.transaction(async () => {
      const {rows} = await this.db.query<Action>(
        `INSERT INTO actions (action, path, status) VALUES ($1, $2, $3) RETURNING ${SELECT_COLUMNS}`,
        [action, path, input.done ?? false],
      )
      return rows[0]
    }, {check: CHECK})
  }

  /**
   * Write the rows list would show into `sink`, in id order, formatted by
   * the server (COPY), so the bytes go from the socket to the sink without
   * passing through a JavaScript object each; json frames the NDJSON lines
   * as an array. `options.chunk` sees the server's bytes. Resolves with how many rows.
   */
  async copy(filter: ListFilter, format: FileFormat, sink: Writable, options: CopyOutOptions = {}): Promise<number> {
    const {settings, sql} = copyQuery(filter, format === 'csv' ? 'csv' : 'ndjson')
    const names = ['client_encoding', ...settings.map(([name]) => name)]
    // eslint-disable-next-line unicorn/text-encoding-identifier-case -- PostgreSQL's name for its client_encoding, not a Node encoding
    const values = ['UTF8', ...settings.map(([, value]) => value)]
    const array = format === 'json' ? new JsonArrayLines() : undefined
    const chunk = array ? (data: Buffer) => array.chunk(options.chunk ? options.chunk(data) : data) : options.chunk
    const rows = await this.db.transaction(async () => {
      await this.db.query('SELECT set_config(name, value, true) FROM unnest($1::text[], $2::text[]) AS s(name, value)', [names, values])
      return copyOut(this.db, sql, sink, {...options, chunk})
    })
    if (array) await writeOut(array.end(), sink)
    return rows
  }

  /** How many actions there are; undefined when there is no actions table yet. */
  async count(): Promise<number | undefined> {
    const {rows: [{present}]} = await this.db.query<{present: boolean}>("SELECT to_regclass('actions') IS NOT NULL AS present")
    if (!present) return undefined
    const {rows: [{count}]} = await this.db.query<{count: number}>('SELECT count(*)::float8 AS count FROM actions')
    return count
  }

  /** Stream the matching rows, a batch at a time, in id order. */
  async list(filter: ListFilter, onBatch: (rows: Action[]) => Promise<void>): Promise<void> {
    const {params, sql} = listQuery(filter)
    if (filter.limit !== undefined && filter.limit <= BATCH) {
      // few rows: one statement, no cursor, no transaction
      const {rows} = await this.db.query<Action>(sql, params)
      if (rows.length > 0) await onBatch(rows)
      return
    }

    await this.db.transaction(async () => {
      for await (const rows of this.db.cursor<Action>(sql, params, BATCH)) await onBatch(rows)
    })
  }

  async markDone(ids: string[]): Promise<Action[]> {
    return this.changeAll(
      parseIds(ids),
      `UPDATE actions SET status = TRUE, updated_at = CASE WHEN status THEN updated_at ELSE now() END
       WHERE id = ANY($1::bigint[]) RETURNING ${SELECT_COLUMNS}`,
    )
  }

  async remove(ids: string[]): Promise<Action[]> {
    return this.changeAll(parseIds(ids), `DELETE FROM actions WHERE id = ANY($1::bigint[]) RETURNING ${SELECT_COLUMNS}`)
  }

  async update(id: string, changes: ActionChanges): Promise<Action> {
    const [checkedId] = parseIds([id])
    const sets: string[] = []
    const params: unknown[] = [checkedId]
    const set = (column: string, value: unknown) => {
      params.push(value)
      sets.push(`${column} = $${params.length}`)
    }

    if (changes.action !== undefined) set('action', checkText('action', changes.action))
    if (changes.path !== undefined) set('path', checkText('path', changes.path))
    if (changes.status !== undefined) set('status', changes.status)
    if (sets.length === 0) throw new UserError('nothing to change: pass --action, --path, --done or --pending')
    const [row] = await this.changeAll(
      [checkedId],
      `UPDATE actions SET ${sets.join(', ')}, updated_at = now() WHERE id = $1::bigint RETURNING ${SELECT_COLUMNS}`,
      params,
    )
    return row
  }

  /**
   * One statement over all ids, in a transaction: if any id does not exist,
   * nothing is changed and the error names the missing ones.
   */
  private async changeAll(ids: string[], sql: string, params: unknown[] = [ids]): Promise<Action[]> {
    return this.db.transaction(async () => {
      const {rows} = await this.db.query<Action>(sql, params)
      const found = new Set(rows.map(r => r.id))
      const missing = ids.filter(id => !found.has(id))
      if (missing.length > 0) {
        const noun = missing.length === 1 ? 'id' : 'ids'
        throw new UserError(`no action with ${noun} ${missing.join(', ')}; nothing was changed (see heroku actions:list)`)
      }

      return ids.map(id => rows.find(r => r.id === id)!)
    }, {check: CHECK})
  }
}
