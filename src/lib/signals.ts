import {constants} from 'node:os'

import {UserError} from './errors.js'

export type Interrupt = 'SIGINT' | 'SIGTERM'

/** The shell's convention: 128 + the signal's number (130 for SIGINT). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 1)
}

/**
 * What a command stopped by a signal says, and its exit code: `interrupted
 * (SIGINT): ` and what became of the work (`the import was rolled back; ...`).
 * `signal` is an aborted signal's reason, as interruptible gives it.
 */
export function interruptedError(signal: unknown, outcome: string, cause?: unknown): UserError {
  const name = signal as NodeJS.Signals
  return new UserError(`interrupted (${name}): ${outcome}`, {cause, exit: signalExitCode(name)})
}

let handlers = 0

/** Whether a command is handling SIGINT and SIGTERM itself now (onInterrupt), so others need not end the process. */
export function interruptHandled(): boolean {
  return handlers > 0
}

/**
 * Call `handler` on SIGINT or SIGTERM instead of dying at once. A second
 * signal while the first is being handled exits immediately, for a user who
 * does not want to wait. Returns the function that removes the handlers.
 */
export function onInterrupt(handler: (signal: Interrupt) => void): () => void {
  let received = false
  handlers++
  const listener = (signal: Interrupt) => {
    // eslint-disable-next-line n/no-process-exit, unicorn/no-process-exit -- a second Ctrl-C ends the CLI now, as it promises, whatever is still running
    if (received) process.exit(signalExitCode(signal))
    received = true
    handler(signal)
  }

  process.on('SIGINT', listener)
  process.on('SIGTERM', listener)
  return () => {
    handlers--
    process.off('SIGINT', listener)
    process.off('SIGTERM', listener)
  }
}

/** Run `fn` with a signal that aborts, with the signal's name as reason, on the first SIGINT or SIGTERM. */
export async function interruptible<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  const off = onInterrupt(signal => controller.abort(signal))
  try {
    return await fn(controller.signal)
  } finally {
    off()
  }
}
