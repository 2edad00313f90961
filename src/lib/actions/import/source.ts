import type {Readable} from 'node:stream'

import {open} from 'node:fs/promises'

import {fileError, UserError} from '../../errors.js'
import {type FileFormat, formatOfName} from '../formats.js'

export interface ImportSource {
  /** from the file's extension; undefined when the content must tell */
  format?: FileFormat
  /** in bytes, for a file */
  size?: number
  stream: Readable
}

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

    return {format: formatOfName(file), size: stat.size, stream: handle.createReadStream({highWaterMark: 1 << 16})}
  } catch (error) {
    if (error instanceof UserError) throw error
    throw fileError('read', file, error)
  }
}
