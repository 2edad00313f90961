import type {Readable} from 'node:stream'

import {open} from 'node:fs/promises'
import path from 'node:path'

import {fileError, UserError} from '../../errors.js'

export type ImportFormat = 'csv' | 'ndjson'
export const FORMATS: readonly ImportFormat[] = ['csv', 'ndjson']

export interface ImportSource {
  /** from the file's extension; undefined when the content must tell */
  format?: ImportFormat
  /** in bytes, for a file */
  size?: number
  stream: Readable
}

const EXTENSIONS: Record<string, ImportFormat> = {'.csv': 'csv', '.json': 'ndjson', '.jsonl': 'ndjson', '.ndjson': 'ndjson'}

/** The file to import or apply (`-` for stdin), opened to be read in large chunks, never whole. */
export async function openSource(file: string, stdin: NodeJS.ReadStream = process.stdin, verb: 'apply' | 'import' = 'import'): Promise<ImportSource> {
  if (file === '-') {
    if (stdin.isTTY) throw new UserError(`stdin is a terminal: name the file to ${verb}, or pipe it in (heroku actions:${verb} - < actions.csv)`)
    return {stream: stdin}
  }

  try {
    const handle = await open(file, 'r')
    const stat = await handle.stat()
    if (!stat.isFile()) {
      await handle.close()
      throw new UserError(`cannot ${verb} ${file}: it is not a file`)
    }

    return {format: EXTENSIONS[path.extname(file).toLowerCase()], size: stat.size, stream: handle.createReadStream({highWaterMark: 1 << 16})}
  } catch (error) {
    if (error instanceof UserError) throw error
    throw fileError('read', file, error)
  }
}
