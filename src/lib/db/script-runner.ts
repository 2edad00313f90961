import pg from 'pg'

import type {Database} from './database.js'

import {UserError} from '../errors.js'
import {interruptedError} from '../signals.js'
import {
  lineAndColumn, positionToOffset, splitStatements, Statement, unsupportedStatement,
} from '../sql/split.js'
import {isStatementError, scriptFailureReason} from './pg-errors.js'

/** `text`: every value as the server writes it (as psql shows it); `json`: numbers, booleans and JSON parsed. */
export type ValueMode = 'json' | 'text'

export interface StatementResult {
  /** the server's command tag: `INSERT 0 3`, `CREATE TABLE`, `SELECT 2` */
  command: string
  /** column names, when the statement returned rows */
  fields?: string[]
  number: number
}

/**
 * Where a script's results go as they arrive, so a result of millions of
 * rows is never held: each row, then each statement's end. `row` returns a
 * promise when the output is full; the connection is not read until it settles.
 */
export interface ResultSink {
  end(result: StatementResult): void
  row(statement: number, fields: string[], values: unknown[]): Promise<void> | void
}

/** A script checked and split into statements, before any connection is made. */
export interface Script {
  sql: string
  statements: Statement[]
}

/** How a hint runs psql on the database `target` names (`--local`, `--app example-app`). */
export function psqlCommand(target: string): string {
  return `heroku actions:run ${target} -- psql`
}

export interface ScriptOptions {
  /** run everything, then roll back */
  dryRun?: boolean
  /** a NOTICE or WARNING the server sent (RAISE NOTICE), as psql shows it: `NOTICE:  text` */
  notice?: (line: string) => void
  /** how hints run psql on the same database: `heroku actions:run --app example-app -- psql` */
  psql?: string
  /** aborting cancels the running statement on the server; the reason is the signal */
  signal?: AbortSignal
  sink: ResultSink
  /** PostgreSQL interval syntax: `30s`, `500ms`, `2min` */
  statementTimeout?: string
  values?: ValueMode
}

// bool, int2, int4, oid, float4, float8, json, jsonb: safe to turn into JSON
// values; int8 and numeric stay text so no digit is lost
const JSON_PARSED = new Set([16, 21, 23, 26, 114, 700, 701, 3802])

function typesFor(mode: ValueMode): pg.CustomTypesConfig {
  const asText = (value: string) => value
  const getTypeParser = (oid: number) => (mode === 'json' && JSON_PARSED.has(oid) ? pg.types.getTypeParser(oid, 'text') : asText)
  return {getTypeParser} as pg.CustomTypesConfig
}

/**
 * Run a script of SQL statements in one transaction: all take effect or none.
 * Each statement is its own query, so results and errors belong to a
 * statement and a failure is named with its line and column in the script.
 * On a pipelined connection they all go out at once: one round trip for the
 * script, not one per statement. After a failure the server refuses the rest
 * (25P02, transaction aborted), so nothing after it runs.
 */
export async function runScript(db: Database, {sql, statements}: Script, options: ScriptOptions): Promise<void> {
  const cancel = () => {
    db.cancel().catch(() => {})
  }

  const notice = (message: {message?: string; severity?: string}) => options.notice?.(`${message.severity ?? 'NOTICE'}:  ${message.message ?? ''}`)
  db.pgClient.on('notice', notice)
  options.signal?.addEventListener('abort', cancel, {once: true})
  const state: FailureContext = {
    committing: false, current: undefined, options, sql, total: statements.length,
  }
  try {
    options.signal?.throwIfAborted()
    return await db.transaction(async () => {
      if (options.statementTimeout) await db.query("SELECT set_config('statement_timeout', $1, true)", [options.statementTimeout])
      await runStatements(db, statements, typesFor(options.values ?? 'text'), state, options.sink)
      options.signal?.throwIfAborted()
      state.committing = true
    }, {check: 'check the database before running it again', rollback: options.dryRun})
  } catch (error) {
    throw failure(error, state)
  } finally {
    db.pgClient.off('notice', notice)
    options.signal?.removeEventListener('abort', cancel)
  }
}

// eslint-disable-next-line max-params -- one private step of runScript, called once
async function runStatements(db: Database, statements: Statement[], types: pg.CustomTypesConfig, state: FailureContext, sink: ResultSink): Promise<void> {
  // the tags in full ("CREATE TABLE", "INSERT 0 3"), one per statement in order
  const tags: string[] = []
  const stopTags = db.onCommandTag(tag => tags.push(tag))
  const socket = (db.pgClient.connection as unknown as {stream: NodeJS.ReadableStream}).stream
  try {
    const settled = await Promise.allSettled(statements.map((statement, i) => new Promise<void>((resolve, reject) => {
      const query = new pg.Query({rowMode: 'array', text: statement.text, types} as pg.QueryConfig)
      // with a row listener, pg hands each row over instead of collecting them all
      query.on('row', (values: unknown[], result?: pg.ResultBuilder) => {
        const full = sink.row(statement.number, result!.fields.map(f => f.name), values)
        if (!full) return
        socket.pause()
        void full.finally(() => socket.resume())
      })
      query.on('error', reject)
      query.on('end', (result: pg.QueryResult) => {
        const command = tags.length > i ? tags[i] : [result.command, result.rowCount].filter(x => x !== null).join(' ')
        sink.end(result.fields.length > 0 ? {command, fields: result.fields.map(f => f.name), number: statement.number} : {command, number: statement.number})
        resolve()
      })
      db.pgClient.query(query)
    })))
    const failed = settled.findIndex(r => r.status === 'rejected')
    if (failed !== -1) {
      state.current = statements[failed]
      throw (settled[failed] as PromiseRejectedResult).reason
    }
  } finally {
    stopTags()
  }
}

/** Split `sql`, refusing what cannot run as one transaction; nothing is sent yet. `psql` is as in ScriptOptions. */
export function prepareScript(sql: string, psql = psqlCommand('--app APP')): Script {
  const {metaCommandAt, statements} = splitStatements(sql)
  if (metaCommandAt !== undefined) {
    const {line} = lineAndColumn(sql, metaCommandAt)
    throw new UserError(`line ${line} is a psql meta-command (${sql.slice(metaCommandAt).split(/\s/, 1)[0]}), not SQL: run the script with ${psql} -1 -f FILE; nothing was run`)
  }

  if (statements.length === 0) throw new UserError('no SQL statement given: pass it as an argument, with --file, or on stdin')
  for (const statement of statements) {
    const why = unsupportedStatement(statement.text)
    if (why === undefined) continue
    const where = `statement ${statement.number} (line ${lineAndColumn(sql, statement.offset).line}: ${firstLine(statement.text)})`
    throw new UserError(why === 'copy'
      ? `${where} needs psql's data channel for STDIN/STDOUT: run it with ${psql}; nothing was run`
      : `${where} controls the transaction, but actions:sql already runs the whole script as one transaction: remove BEGIN/COMMIT/ROLLBACK from the script; nothing was run`)
  }

  return {sql, statements}
}

interface FailureContext {
  committing: boolean
  current: Statement | undefined
  options: ScriptOptions
  sql: string
  total: number
}

function failure(error: unknown, {committing, current, options, sql, total}: FailureContext): unknown {
  if (error instanceof UserError) return error
  const psql = options.psql ?? psqlCommand('--app APP')
  if (options.signal?.aborted) {
    const what = current ? `statement ${current.number} (line ${lineAndColumn(sql, current.offset).line}) was cancelled on the server and ` : ''
    return interruptedError(options.signal.reason, `${what}the transaction was rolled back; nothing was committed`, error)
  }

  if (!current && !committing) return new UserError(`could not start the transaction: ${scriptFailureReason(error, psql)}; nothing was run`, {cause: error})
  if (!current) {
    // COMMIT itself failed: a deferred constraint or a conflict means it rolled
    // back; a lost connection leaves us not knowing
    return isStatementError(error)
      ? new UserError(`the transaction could not be committed: ${scriptFailureReason(error, psql)}; nothing was committed`, {cause: error})
      : new UserError(`the connection was lost while committing (${firstLine(String((error as Error).message))}): the script may or may not have taken effect; check the database before running it again`, {cause: error})
  }

  return new UserError(`error in statement ${current.number} of ${total} ${where(sql, current, error)}: ${scriptFailureReason(error, psql)}; nothing was committed. The statement: ${firstLine(current.text)}`, {cause: error})
}

/** "at line 4, column 13" from the error's position, or the statement's first line. */
function where(sql: string, statement: Statement, error: unknown): string {
  const position = Number((error as {position?: string}).position)
  if (!Number.isInteger(position) || position < 1) return `(line ${lineAndColumn(sql, statement.offset).line})`
  const {column, line} = lineAndColumn(sql, statement.offset + positionToOffset(statement.text, position))
  return `at line ${line}, column ${column}`
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0].trim()
  return line.length > 80 ? `${line.slice(0, 77)}...` : line
}

/**
 * A statement_timeout with its unit (500ms, 30s, 5min, 1h). PostgreSQL reads
 * a bare number as milliseconds, so `30` would silently mean 30 ms: a unit is required.
 */
export function checkStatementTimeout(value: string): string {
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) throw new UserError(`--statement-timeout ${value} has no unit: give one, e.g. ${trimmed}s or ${trimmed}ms`)
  if (!/^\d+\s*(us|ms|s|min|h|d)$/.test(trimmed)) {
    throw new UserError(`--statement-timeout ${value} is not a duration: use e.g. 500ms, 30s, 5min or 1h`)
  }

  return trimmed
}
