import {createInterface} from 'node:readline/promises'

import {UserError} from '../errors.js'

/**
 * Destructive commands go ahead only when the app's name is typed back:
 * with --confirm, or at a prompt on a terminal. Without a terminal there is
 * nobody to ask, so they refuse.
 */
export async function confirmName(expected: string, given: string | undefined, what: string): Promise<void> {
  if (given !== undefined) {
    if (given === expected) return
    throw new UserError(`--confirm ${given} does not match ${expected}: nothing was changed`)
  }

  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UserError(`${what} cannot be undone: pass --confirm ${expected} to proceed`)
  }

  const rl = createInterface({input: process.stdin, output: process.stderr})
  try {
    const answer = await rl.question(`${what} cannot be undone. To proceed, type ${expected}: `)
    if (answer.trim() !== expected) throw new UserError(`confirmation did not match ${expected}: nothing was changed`)
  } finally {
    rl.close()
  }
}
