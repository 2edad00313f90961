import {UserError} from '../../errors.js'

export const NOTHING_IMPORTED = 'nothing was imported'

/** A line of the input that cannot be imported; the whole import stops at it. */
export class RowError extends UserError {
  constructor(readonly line: number, readonly reason: string) {
    super(`line ${line}: ${reason}; ${NOTHING_IMPORTED}`)
    this.name = 'RowError'
  }
}
