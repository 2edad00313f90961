import {spawn} from 'node:child_process'

import {UserError} from '../errors.js'
import {signalExitCode} from '../signals.js'

const FORWARDED: NodeJS.Signals[] = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM']

/**
 * Run a program with our stdin, stdout and stderr, and return its exit code
 * (128 + the signal's number when a signal ended it, as shells report it).
 * Signals sent to us are passed on, except Ctrl-C at a terminal: the
 * terminal already sent SIGINT to the program too, and a second one would
 * interrupt its clean-up.
 */
export async function runChild(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(command, args, {env, stdio: 'inherit'})
  const forward = (signal: NodeJS.Signals) => {
    if (signal === 'SIGINT' && process.stdin.isTTY) return
    child.kill(signal)
  }

  for (const signal of FORWARDED) process.on(signal, forward)
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', error => reject(spawnError(command, error)))
      child.once('exit', (code, signal) => resolve(code ?? signalExitCode(signal ?? 'SIGTERM')))
    })
  } finally {
    for (const signal of FORWARDED) process.off(signal, forward)
  }
}

function spawnError(command: string, error: NodeJS.ErrnoException): UserError {
  if (error.code === 'ENOENT') return new UserError(`${command}: command not found; check its name and your PATH`, {cause: error, exit: 127})
  if (error.code === 'EACCES') return new UserError(`${command}: permission denied; is it executable?`, {cause: error, exit: 126})
  return new UserError(`could not start ${command}: ${error.message}`, {cause: error, exit: 126})
}
