/**
 * An error the user can act on: its message is printed as is, on one line,
 * and the command exits with `exit` (1 by default).
 */
export class UserError extends Error {
  readonly exit: number

  constructor(message: string, options: {cause?: unknown; exit?: number} = {}) {
    super(message, {cause: options.cause})
    this.name = 'UserError'
    this.exit = options.exit ?? 1
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

const FILE_PROBLEMS: Record<string, string> = {
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
  ENOENT: 'no such file or directory',
  ENOSPC: 'the disk is full',
  ENOTDIR: 'a part of the path is not a directory',
  EPERM: 'permission denied',
  EPIPE: 'the reader closed the pipe',
  EROFS: 'the file system is read-only',
}

/** A file that could not be opened, read or written, said the way a user can act on. */
export function fileError(action: 'read' | 'write', file: string, error: unknown): UserError {
  return new UserError(`cannot ${action} ${file}: ${fileProblem(error)}; check the path`, {cause: error})
}

/** What to do about a file that could not be written. */
function nextStep(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
  case 'EACCES':
  case 'EPERM':
  case 'EROFS': {
    return 'choose a --output where you may write'
  }

  case 'ENOSPC': {
    return 'free some space, or choose an --output on another disk'
  }

  default: {
    return 'check the path'
  }
  }
}

function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? ''
  return FILE_PROBLEMS[code] ?? (code || errorMessage(error))
}

/**
 * Writing the output failed: a full disk, a closed pipe. Has no `code`, so
 * it is never taken for a lost database connection (which EPIPE can also mean).
 */
export class WriteError extends UserError {
  /** the reader of a pipe went away (`| head`): it wants no more, which is not a failure */
  readonly brokenPipe: boolean

  /** `file`: the file named with --output; without it, the command's output (stdout) */
  constructor(cause: unknown, file?: string) {
    super(file ? `could not write ${file}: ${fileProblem(cause)}; ${nextStep(cause)}` : `could not write the output: ${fileProblem(cause)}`, {cause})
    this.name = 'WriteError'
    this.brokenPipe = (cause as undefined | {code?: unknown})?.code === 'EPIPE'
  }
}

/** The status a user's error carries when no HTTP status says more: "the request was not right", not a crash. */
export const USER_ERROR = 400

/** An error's HTTP status from the Platform API, where one of its causes has it; else USER_ERROR. */
export function userErrorStatus(error: UserError): number {
  for (let {cause} = error; cause; cause = (cause as {cause?: unknown}).cause) {
    const {http, statusCode} = cause as {http?: {statusCode?: number}; statusCode?: number}
    const status = http?.statusCode ?? statusCode
    if (typeof status === 'number') return status
  }

  return USER_ERROR
}

/**
 * With DEBUG=heroku-actions* (or HEROKU_DEBUG), the stack of an error and of
 * each of its causes, for a maintainer; stderr's filter redacts credentials.
 */
export function showDiagnosis(error: unknown): void {
  const debug = process.env.DEBUG ?? ''
  const on = /(^|,)\s*(\*|heroku-actions\*?)(,|$)/.test(debug) || /^(1|true)$/i.test(process.env.HEROKU_DEBUG ?? '')
  if (!on) return
  const lines: string[] = []
  for (let cause: unknown = error, depth = 0; cause && depth < 10; cause = (cause as {cause?: unknown}).cause, depth++) {
    const text = cause instanceof Error ? cause.stack ?? `${cause.name}: ${cause.message}` : String(cause)
    lines.push(depth === 0 ? text : `caused by: ${text}`)
  }

  process.stderr.write(`heroku-actions ${lines.join('\n')}\n`)
}
