import {UserError, WriteError} from '../errors.js'

/** The guarded streams, each with its first failure once it has one. */
const guarded = new WeakMap<NodeJS.WritableStream, Error | undefined>()

/**
 * A stream that fails (EPIPE, ENOSPC) also emits 'error'. @oclif/core
 * listens on stdout and rethrows everything but EPIPE from there, which
 * ends the process with a stack trace after a change was made (a full disk).
 * Here the failure reaches the writer through the write's callback instead
 * (writeOut, copyOut); the event is kept, so a failure that comes between
 * writes (the reader of a pipe left) is what the next writeOut rejects with.
 */
export function guardOutput(stream: NodeJS.WritableStream = process.stdout): void {
  if (guarded.has(stream)) return
  guarded.set(stream, undefined)
  stream.removeAllListeners('error')
  stream.on('error', (error: Error) => {
    if (!guarded.get(stream)) guarded.set(stream, error)
  })
}

/**
 * Write and wait until it is written (or the pipe drains), so a slow reader
 * holds memory flat. A failure (a closed pipe, a full disk) is a WriteError.
 */
export async function writeOut(text: string, stream: NodeJS.WritableStream = process.stdout): Promise<void> {
  if (text === '') return
  guardOutput(stream)
  const failed = guarded.get(stream)
  if (failed) throw new WriteError(failed)
  await new Promise<void>((resolve, reject) => {
    // after a failure the stream is destroyed, and a write says only that: the failure says why
    stream.write(text, error => (error ? reject(new WriteError(guarded.get(stream) ?? error)) : resolve()))
  })
}

/**
 * For output produced by events (rows as the server sends them), which
 * cannot await each write. `write` returns a promise while the stream is
 * full. The first failure is kept and later output dropped, so the work
 * underway can finish (a script still commits); `end` waits until
 * everything is written, and throws that failure.
 */
export class StreamWriter {
  private draining: Promise<void> | undefined
  private failure: undefined | WriteError
  private last: Promise<void> = Promise.resolve()

  constructor(private readonly stream: NodeJS.WritableStream = process.stdout) {
    guardOutput(stream)
  }

  async end(): Promise<void> {
    await this.last
    if (this.failure) throw this.failure
  }

  write(text: string): Promise<void> | undefined {
    if (this.failure || text === '') return undefined
    let full = false
    this.last = new Promise(resolve => {
      full = !this.stream.write(text, error => {
        if (error) this.failure ??= new WriteError(error)
        resolve()
      })
    })
    return full ? this.drained() : undefined
  }

  /** One wait for the whole time the stream is full; a stream that fails or closes never drains. */
  private drained(): Promise<void> {
    this.draining ??= new Promise(resolve => {
      const done = () => {
        for (const event of ['drain', 'error', 'close']) this.stream.off(event, done)
        this.draining = undefined
        resolve()
      }

      for (const event of ['drain', 'error', 'close']) this.stream.on(event, done)
    })
    return this.draining
  }
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
