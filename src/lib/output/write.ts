import {UserError, WriteError} from '../errors.js'

const guarded = new WeakSet<NodeJS.WritableStream>()

/**
 * A stream that fails (EPIPE, ENOSPC) also emits 'error'. @oclif/core
 * listens on stdout and rethrows everything but EPIPE from there, which
 * ends the process with a stack trace after a change was made (a full disk).
 * Here the failure reaches the writer through the write's callback instead
 * (writeOut, copyOut), and the event is only acknowledged.
 */
export function guardOutput(stream: NodeJS.WritableStream = process.stdout): void {
  if (guarded.has(stream)) return
  guarded.add(stream)
  stream.removeAllListeners('error')
  stream.on('error', () => {})
}

/**
 * Write and wait until it is written (or the pipe drains), so a slow reader
 * holds memory flat. A failure (a closed pipe, a full disk) is a WriteError.
 */
export async function writeOut(text: string, stream: NodeJS.WritableStream = process.stdout): Promise<void> {
  if (text === '') return
  guardOutput(stream)
  await new Promise<void>((resolve, reject) => {
    stream.write(text, error => (error ? reject(new WriteError(error)) : resolve()))
  })
}

/**
 * Run `fn`, which writes to stdout; when the reader goes away (EPIPE, as
 * with `| head`), it wanted no more: end quietly, as psql and cat do.
 */
export async function untilReaderLeaves(fn: () => Promise<void>): Promise<void> {
  try {
    await fn()
  } catch (error) {
    if (error instanceof WriteError && error.brokenPipe) return
    throw error
  }
}

/**
 * Write what a committed change returned. When that fails (a full disk),
 * the error says the change was made (`changed`: "added action 12"), so
 * nobody runs it again and makes a duplicate. A reader that left wanted no more.
 */
export async function writeAfterChange(changed: string, write: () => Promise<void>): Promise<void> {
  try {
    await untilReaderLeaves(write)
  } catch (error) {
    if (error instanceof WriteError) throw new UserError(`${changed}, but ${error.message}`, {cause: error})
    throw error
  }
}
