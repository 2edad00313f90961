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

/**
 * Writing the output failed: a full disk, a closed pipe. Has no `code`, so
 * it is never taken for a lost database connection (which EPIPE can also mean).
 */
export class WriteError extends UserError {
  /** the reader of a pipe went away (`| head`): it wants no more, which is not a failure */
  readonly brokenPipe: boolean

  constructor(cause: unknown, where = 'the output') {
    super(`could not write ${where}: ${errorMessage(cause)}`, {cause})
    this.name = 'WriteError'
    this.brokenPipe = (cause as undefined | {code?: unknown})?.code === 'EPIPE'
  }
}
