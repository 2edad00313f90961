import {UserError} from '../errors.js'

interface Where {
  host: string
  port: number
  timeoutMs: number
}

interface PgLikeError {
  code?: string
  message: string
}

const SSL_REFUSED = 'The server does not support SSL connections'
// what pg says when the socket goes away under it
const LOST = /^(Connection terminated|Client has encountered a connection error|Client was closed|Query read timeout)/

export function serverRefusedSsl(error: unknown): boolean {
  return error instanceof Error && error.message.includes(SSL_REFUSED)
}

/** Turn a failure to connect into one line that says what to do next. */
export function connectError(error: unknown, where: Where): UserError {
  const {code, message} = (error ?? {}) as PgLikeError
  const at = `${where.host}:${where.port}`
  const text = describe(code, message ?? String(error), at, where.timeoutMs)
  return new UserError(text, {cause: error})
}

// eslint-disable-next-line complexity
function describe(code: string | undefined, message: string, at: string, timeoutMs: number): string {
  switch (code) {
  case '3D000': {
    return `the database named in the URL does not exist on ${at}: check heroku pg:info`
  }

  case '28P01': {
    return 'the database rejected its credentials; they may have just been rotated (heroku pg:credentials:rotate): run the command again'
  }

  case '57P03': {
    return `the database at ${at} is not accepting connections yet (starting up or failing over): try again in a moment`
  }

  case '28000': {
    return `the database at ${at} refused the connection (${firstLine(message)}): check the credentials with heroku pg:credentials -a APP`
  }

  case '53300': {
    return `the database at ${at} has no free connections: close some (heroku pg:killall) or try again later`
  }

  case 'CERT_HAS_EXPIRED':
  case 'DEPTH_ZERO_SELF_SIGNED_CERT':
  case 'ERR_TLS_CERT_ALTNAME_INVALID':
  case 'SELF_SIGNED_CERT_IN_CHAIN':
  case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE': {
    return `the database's TLS certificate could not be verified (${code}); Heroku's default certificates need PGSSLMODE=require (the default), not verify-full`
  }

  case 'EAI_AGAIN':
  case 'ENOTFOUND': {
    return `could not resolve the database host in ${at}: check your network and DNS, then try again`
  }

  case 'ECONNREFUSED': {
    return `could not connect to the database at ${at}: connection refused. Check that it is available (heroku pg:info) and try again`
  }

  case 'ECONNRESET':
  case 'EPIPE': {
    return `the connection to the database at ${at} was closed while connecting: try again in a moment`
  }

  case 'EHOSTUNREACH':
  case 'ENETUNREACH': {
    return `could not reach the database at ${at} (${code}): check your network, then try again`
  }
  }

  if (LOST.test(message)) {
    return `the connection to the database at ${at} was closed while connecting: try again in a moment`
  }

  if (/timeout/i.test(message)) {
    return `timed out after ${timeoutMs / 1000} s connecting to the database at ${at}; it may be unreachable or failing over: try again, or raise PGCONNECT_TIMEOUT`
  }

  if (message.includes(SSL_REFUSED)) {
    return `the database at ${at} does not offer SSL, which is required (always for a remote host; for loopback when PGSSLMODE asks for it): check the host`
  }

  return `could not connect to the database at ${at}: ${firstLine(message)}`
}

/** The code of a failed connection attempt, whether or not connectError wrapped it yet. */
function connectCode(error: unknown): string | undefined {
  const e = error as undefined | {cause?: PgLikeError; code?: string}
  return e?.code ?? e?.cause?.code
}

/** The server refused the password: maybe the credentials were rotated since we resolved them. */
export function credentialsRejected(error: unknown): boolean {
  return connectCode(error) === '28P01'
}

export function rotationError(error: unknown): UserError {
  return new UserError(
    'the database rejected its credentials again after fetching them anew: they may be in the middle of a rotation (heroku pg:credentials:rotate); try again in a minute, or check heroku pg:credentials -a APP',
    {cause: error},
  )
}

const TRANSIENT = new Set(['57P03', '53300', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ETIMEDOUT'])

/** Starting up, failing over, restarting, full: worth waiting for (actions:info --wait). */
export function isTransientConnectFailure(error: unknown): boolean {
  const code = connectCode(error)
  if (code !== undefined && TRANSIENT.has(code)) return true
  const cause = (error as undefined | {cause?: unknown})?.cause ?? error
  return cause instanceof Error && /timeout|terminated unexpectedly/i.test(cause.message)
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]
}

interface StatementError extends PgLikeError {
  code: string
  severity?: string
}

/** The connection broke (network, server gone), as opposed to the server refusing a statement. */
export function isConnectionLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const {code} = error as PgLikeError
  return LOST.test(error.message) || (code !== undefined && /^(ECONNRESET|EPIPE|ETIMEDOUT|ECONNABORTED|EHOSTUNREACH|ENETUNREACH)$/.test(code))
}

/** pg refused to send the statement at all: the connection was already gone. */
export function wasNeverSent(error: unknown): boolean {
  return error instanceof Error && error.message.endsWith('is not queryable')
}

/** A server-side error from a statement (SQLSTATE code), as opposed to a bug of ours. */
export function isStatementError(error: unknown): error is StatementError {
  const code = (error as PgLikeError | undefined)?.code
  return error instanceof Error && typeof code === 'string' && /^[\dA-Z]{5}$/.test(code) && 'severity' in error
}

/**
 * The server answered COMMIT with an ERROR (a deferred constraint, a
 * serialization failure): it rolled the transaction back, so the user can
 * know nothing was changed, unlike a connection lost while committing.
 */
export function commitRefused(error: StatementError): UserError {
  const retry = error.code.startsWith('40') ? ': try again' : ''
  return new UserError(`the database refused to commit (${firstLine(error.message)}, SQLSTATE ${error.code}) and rolled the transaction back; nothing was changed${retry}`, {cause: error})
}

/**
 * What a SQLSTATE means to a user, and what to do: `table` for a command on
 * the actions table (`init` is how this user creates it: `heroku
 * actions:init -a APP`), `script` for a statement of a user's script
 * (actions:sql; `psql` is how this user runs psql on the same database).
 * `message` is the first line of the server's own.
 */
interface Advice {
  script?: (message: string, psql: string) => string
  table?: (message: string, init: string) => string
}

const RESTARTING: Advice = {
  script: message => `${message}: the database is restarting or failing over; run the script again in a moment`,
  table: message => `the database closed the connection (${message}): it may be restarting or failing over; try again in a moment`,
}

const CONFLICT: Advice = {
  script: message => `${message}: it conflicted with another session; run the script again`,
  table: message => `the statement conflicted with another session (${message}); nothing was changed: try again`,
}

/** The one place that turns PostgreSQL error codes into what a user can do. */
const ADVICE: Record<string, Advice> = {
  '2D000': {script: (message, psql) => `${message}: a procedure or DO block cannot COMMIT inside the one transaction of actions:sql; run it with ${psql} -c '...'`},
  '40P01': CONFLICT,
  '42P01': {table: (message, init) => `the actions table does not exist (${message}): run ${init}`},
  '57P01': RESTARTING,
  '57P02': RESTARTING,
  '57P03': RESTARTING,
  25_001: {script: (message, psql) => `${message}: actions:sql runs the whole script in one transaction; run this statement with ${psql} -c '...'`},
  25_006: {
    script: message => `${message}: this database is read-only (a follower, or over its plan's row limit); use the primary with --database`,
    table: () => 'the database is read-only (a follower, or a plan over its row limit): use the primary database with --database',
  },
  40_001: CONFLICT,
  42_501: {table: message => `permission denied (${message}): these credentials may not change the actions table; use the app's default credential`},
  42_703: {table: (message, init) => `the actions table is not up to date (${message}): run ${init} to upgrade it; every row is kept`},
  57_014: {
    script(message, psql) {
      if (/statement timeout/.test(message)) return 'it ran longer than --statement-timeout allows and was cancelled'
      if (/COPY from stdin/i.test(message)) return `COPY FROM STDIN needs psql to send the data: use ${psql}`
      return 'it was cancelled on the server'
    },
    table: () => 'the statement was cancelled (timeout or interrupt); nothing was changed',
  },
}

/** A statement's error on the actions table, said so a user can act on it. */
export function statementError(error: StatementError, initCommand: string): UserError {
  const message = firstLine(error.message)
  return new UserError(ADVICE[error.code]?.table?.(message, initCommand) ?? `${message} (SQLSTATE ${error.code})`, {cause: error})
}

/**
 * Why a statement of a user's script failed (actions:sql): the server's own
 * words and code, and what to do where the code calls for it. Unlike
 * statementError, nothing here is about the actions table.
 */
export function scriptFailureReason(error: unknown, psql: string): string {
  if (!isStatementError(error)) {
    const message = error instanceof Error ? error.message : String(error)
    return `the connection to the database failed (${firstLine(message)})`
  }

  const message = firstLine(error.message)
  return ADVICE[error.code]?.script?.(message, psql) ?? `${message} (SQLSTATE ${error.code})`
}

/** 42703: a column the query names is not there (a table of another shape). */
export function isMissingColumn(error: unknown): boolean {
  return isStatementError(error) && error.code === '42703'
}

/** 42P01: a table the query names is not there. */
export function isUndefinedTable(error: unknown): boolean {
  return isStatementError(error) && error.code === '42P01'
}
