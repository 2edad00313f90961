import type {ActionsRepository} from './repository.js'

import {WriteError} from '../errors.js'
import {countLines} from '../output/lines.js'
import {OutputFile} from '../output/output-file.js'
import {Progress} from '../output/progress.js'
import {interruptedError} from '../signals.js'
import {ListFilter} from './action.js'
import {type FileFormat, formatOfName} from './formats.js'

export interface ExportOptions {
  filter: ListFilter
  /** replace an existing --output file */
  force?: boolean
  format: FileFormat
  /** a file to write instead of stdout */
  output?: string
  progress: Progress
  /** aborting (Ctrl-C) cancels the export; its reason is the signal's name */
  signal?: AbortSignal
}

/** --format, or else what --output's name says (as import reads it: formatOfName), or else CSV. */
export function exportFormat(format: FileFormat | undefined, output: string | undefined): FileFormat {
  return format ?? (output === undefined ? undefined : formatOfName(output)) ?? 'csv'
}

/**
 * actions:export: the rows, as COPY writes them, to stdout or a file, with
 * progress counted from the chunks (line feeds, less CSV's header) and the
 * exact count from the server at the end. `connect` runs the copy with the
 * repository of the database the flags pick.
 */
export async function exportActions(connect: <T>(fn: (actions: ActionsRepository) => Promise<T>) => Promise<T>, options: ExportOptions): Promise<void> {
  const {filter, format, progress, signal} = options
  // before connecting: an existing file is refused at once
  const file = options.output ? await OutputFile.open(options.output, {force: options.force}) : undefined
  let lines = format === 'csv' ? -1 : 0
  let bytes = 0
  const chunk = (data: Buffer) => {
    lines += countLines(data)
    bytes += data.length
    progress.tick(Math.max(lines, 0), bytes)
    return data
  }

  try {
    // counting costs: only when a line or summary will show it
    const rows = await connect(actions => actions.copy(filter, format, file?.stream ?? process.stdout, {chunk: progress.shown ? chunk : undefined, signal}))
    await file?.commit({force: options.force})
    progress.done(rows)
  } catch (error) {
    progress.stop()
    await file?.discard()
    if (error instanceof WriteError && error.brokenPipe) return
    if (signal?.aborted) throw interruptedError(signal.reason, `the export was stopped${file ? `; ${file.file} was not written` : ''}`, error)

    throw error
  }
}
