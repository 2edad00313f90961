import {readFile} from 'node:fs/promises'

import {fileError, UserError} from '../errors.js'

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * The SQL to run: the argument, or the file (`-` for stdin), or stdin when
 * it is not a terminal. A byte order mark (editors on Windows) is dropped.
 */
export async function readScript(inline: string | undefined, file: string | undefined, stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (inline !== undefined && file !== undefined) throw new UserError('give the SQL either as an argument or with --file, not both')
  let sql = inline
  if (sql === undefined && file !== undefined && file !== '-') {
    try {
      sql = await readFile(file, 'utf8')
    } catch (error) {
      throw fileError('read', file, error)
    }
  }

  if (sql === undefined) {
    if (stdin.isTTY && file !== '-') throw new UserError('no SQL given: pass it as an argument, with --file FILE, or on stdin')
    sql = await readAll(stdin)
  }

  return sql.replace(/^\uFEFF/, '')
}
