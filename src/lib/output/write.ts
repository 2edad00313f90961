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

export interface GuardedWriter {
  /** stop watching the stream */
  release(): void
  /** write and wait while the stream is full; rejects with WriteError once the stream has failed */
  write(text: string): Promise<void>
}

/**
 * Writes to `stream` whose failures (EPIPE when the reader went away, a
 * full disk) reject the next write as WriteError, whether they come with
 * that write or later, between writes, when nobody would catch them.
 */
export function guardedWriter(stream: NodeJS.WritableStream = process.stdout): GuardedWriter {
  let failure: undefined | WriteError
  const onError = (error: Error) => {
    failure ??= new WriteError(error)
  }

  stream.on('error', onError)
  return {
    release: () => stream.off('error', onError),
    async write(text: string) {
      if (failure) throw failure
      if (text === '') return
      if (!stream.write(text)) await once(stream, 'drain').catch(error => onError(error))
      if (failure) throw failure
    },
  }
}
