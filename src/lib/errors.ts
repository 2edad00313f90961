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
