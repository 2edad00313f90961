import {UserError} from '../errors.js'

/**
 * The connection broke under a transaction. `outcome` is what the database
 * did with it: `rolled-back` when it broke before COMMIT was sent (the server
 * rolls back what it never saw committed), `unknown` when it broke after:
 * the server may have committed and its answer was lost on the way.
 */
export class ConnectionLost extends UserError {
  readonly outcome: 'rolled-back' | 'unknown'

  constructor(outcome: 'rolled-back' | 'unknown', check: string, cause: unknown) {
    super(outcome === 'unknown'
      ? `the connection was lost while committing; the change may or may not have been applied: ${check}`
      : 'the connection to the database was lost; nothing was changed: try again', {cause})
    this.name = 'ConnectionLost'
    this.outcome = outcome
  }
}
