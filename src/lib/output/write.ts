import {once} from 'node:events'
import {WriteError} from '../errors.js'

/** Write and wait when the pipe is full, so a slow reader holds memory flat. */
export async function writeOut(text: string, stream: NodeJS.WritableStream = process.stdout): Promise<void> {
  if (text === '') return
  if (!stream.write(text)) await once(stream, 'drain')
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
