import {once} from 'node:events'
import {from as copyFrom} from 'pg-copy-streams'

import type {Database} from './database.js'

/**
 * Run `COPY ... FROM STDIN` (`sql`) on `db`, fed from `source`, respecting
 * the server's pace; resolves with the number of rows it stored. Call it in
 * a transaction.
 *
 * When `source` throws, the server is told to abort the COPY (CopyFail) and
 * its answer awaited before the source's error is rethrown, so the
 * connection is ready for ROLLBACK. When the server refuses a row, its error
 * is thrown and nothing more is sent. Aborting `signal` once all the data is
 * sent cancels the COPY on the server; before that, the source is expected
 * to stop on it.
 */
export async function copyIn(db: Database, sql: string, source: AsyncIterable<Buffer>, signal?: AbortSignal): Promise<number> {
  const stream = db.pgClient.query(copyFrom(sql))
  let serverError: unknown
  stream.on('error', error => {
    serverError ??= error
    // pg-copy-streams would go on flushing what it holds into a connection it has let go of
    Object.assign(stream, {chunks: []})
  })
  try {
    for await (const chunk of source) {
      if (serverError !== undefined) throw serverError
      if (!stream.write(chunk)) await once(stream, 'drain')
    }

    if (serverError !== undefined) throw serverError
    const cancel = () => {
      db.cancel().catch(() => {})
    }

    signal?.addEventListener('abort', cancel, {once: true})
    try {
      stream.end()
      await once(stream, 'finish')
    } finally {
      signal?.removeEventListener('abort', cancel)
    }
  } catch (error) {
    if (serverError !== undefined) throw serverError
    await abort(stream, error)
    throw error
  }

  return stream.rowCount
}

/** CopyFail, then wait for the server's answer (its ErrorResponse closes the stream). */
async function abort(stream: ReturnType<typeof copyFrom>, reason: unknown): Promise<void> {
  const closed = once(stream, 'close').catch(() => {})
  stream.destroy(reason instanceof Error ? reason : new Error(String(reason)))
  await closed
}
