import type {Writable} from 'node:stream'

import {to as copyTo} from 'pg-copy-streams'

import type {Database} from './database.js'

import {WriteError} from '../errors.js'

export interface CopyOutOptions {
  /** sees each chunk as the server sent it (rows may span chunks) and returns what to write */
  chunk?: (data: Buffer) => Buffer
  /** aborting cancels the COPY on the server; the promise rejects with the signal's reason */
  signal?: AbortSignal
}

/**
 * Run `COPY ... TO STDOUT` and write the server's bytes into `sink` as they
 * come, pausing the socket while the sink is full, so memory stays flat
 * however many rows. Resolves with the row count once the server has
 * finished (the connection is free again). `sink` is not ended.
 *
 * When the sink fails (EPIPE: the reader of a pipe went away, as with
 * `| head`; a full disk) or the signal aborts, the statement is cancelled
 * on the server and its remaining bytes are read and dropped, so the
 * connection can roll back and close cleanly; the promise rejects with
 * that first failure (a sink's as WriteError).
 */
export async function copyOut(db: Database, sql: string, sink: Writable, options: CopyOutOptions = {}): Promise<number> {
  options.signal?.throwIfAborted()
  const source = copyTo(sql)
  let failure: unknown
  let waiting = false
  const resume = () => {
    waiting = false
    source.resume()
  }

  const stop = (reason: unknown) => {
    if (failure !== undefined) return
    failure = reason
    if (waiting) resume()
    void db.cancel()
  }

  const onSinkError = (error: Error) => stop(new WriteError(error))
  const onAbort = () => stop(options.signal?.reason)
  sink.on('error', onSinkError)
  options.signal?.addEventListener('abort', onAbort, {once: true})
  source.on('data', (data: Buffer) => {
    if (failure !== undefined) return
    if (sink.write(options.chunk ? options.chunk(data) : data)) return
    waiting = true
    source.pause()
    sink.once('drain', resume)
  })

  try {
    await new Promise<void>((resolve, reject) => {
      let ended = false
      let ready = false
      const settle = () => ended && ready && resolve()
      // after CommandComplete (the row count) and ReadyForQuery: the connection takes the next statement
      const {handleReadyForQuery} = source as unknown as {handleReadyForQuery: () => void}
      Object.assign(source, {
        handleReadyForQuery() {
          handleReadyForQuery.call(source)
          ready = true
          settle()
        },
      })
      source.on('end', () => {
        ended = true
        settle()
      })
      source.on('error', reject)
      db.pgClient.query(source)
    })
  } catch (error) {
    throw failure ?? error
  } finally {
    sink.off('error', onSinkError)
    sink.off('drain', resume)
    options.signal?.removeEventListener('abort', onAbort)
  }

  if (failure !== undefined) throw failure
  return source.rowCount
}
