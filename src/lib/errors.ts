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
  EPIPE: 'the reader closed the pipe',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
}

/** A file that could not be opened, read or written, said the way a user can act on. */
export function fileError(action: 'read' | 'write', file: string, error: unknown): UserError {
  return new UserError(`cannot ${action} ${file}: ${fileProblem(error)}; check the path`, {cause: error})
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

  constructor(cause: unknown, where = 'the output') {
    super(`could not write ${where}: ${fileProblem(cause)}`, {cause})
    this.name = 'WriteError'
    this.brokenPipe = (cause as undefined | {code?: unknown})?.code === 'EPIPE'
  }
}
