import {UserError} from '../errors.js'

/**
 * The connection broke under a transaction. `outcome` is what the database
 * did with it: `rolled-back` when it broke before COMMIT was sent (the server
 * rolls back what it never saw committed), `unknown` when it broke after:
 * the server may have committed and its answer was lost on the way.
 */
export class ConnectionLost extends UserError {
  readonly outcome: 'rolled-back' | 'unknown'

  /** `why`: what the server said as it hung up (a crash of another backend, say), if anything */
  constructor(outcome: 'rolled-back' | 'unknown', check: string, cause: unknown, why?: string) {
    super(lostMessage(outcome, check, why), {cause})
    this.name = 'ConnectionLost'
    this.outcome = outcome
  }
}

function lostMessage(outcome: 'rolled-back' | 'unknown', check: string, why: string | undefined): string {
  const lost = why === undefined ? 'the connection was lost' : `the database closed the connection (${why})`
  if (outcome === 'unknown') return `${lost} while committing; the change may or may not have been applied: ${check}`
  if (why === undefined) return 'the connection to the database was lost; nothing was changed: try again'
  return `${lost}: it is restarting; nothing was changed: try again in a moment`
}
