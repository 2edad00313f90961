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
  ENOENT: 'no such file',
  ENOSPC: 'the disk is full',
  ENOTDIR: 'a part of the path is not a directory',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
}

/** A file that could not be opened, read or written, said the way a user can act on. */
export function fileError(action: 'read' | 'write', file: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code ?? ''
  const problem = FILE_PROBLEMS[code] ?? (code || errorMessage(error))
  return new UserError(`cannot ${action} ${file}: ${problem}; check the path`, {cause: error})
}
