import {readFile} from 'node:fs/promises'

import {RowError} from '../actions/import/row-error.js'
import {Utf8Decoder} from '../actions/import/utf8.js'
import {fileError, UserError} from '../errors.js'

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return Buffer.concat(chunks)
}

function lineAt(text: string): number {
  return text.split('\n').length
}

/**
 * A script's bytes as text. Bytes that are not UTF-8 (a script saved as
 * Latin-1) are refused with their line, as import does, instead of becoming
 * U+FFFD and being stored garbled; a NUL, which PostgreSQL cannot take, too.
 */
function decode(bytes: Buffer): string {
  const decoder = new Utf8Decoder()
  let text: string
  try {
    text = decoder.decode(bytes, lineAt)
    decoder.end(() => lineAt(text))
  } catch (error) {
    if (error instanceof RowError) throw new UserError(`line ${error.line}: ${error.reason}; nothing was run`, {cause: error})
    throw error
  }

  const nul = text.indexOf('\u0000')
  if (nul !== -1) throw new UserError(`line ${lineAt(text.slice(0, nul))}: the SQL contains a NUL byte, which PostgreSQL cannot take: remove it; nothing was run`)
  return text
}

/**
 * The SQL to run: the argument, or the file (`-` for stdin), or stdin when
 * it is not a terminal. A byte order mark (editors on Windows) is dropped.
 */
export async function readScript(inline: string | undefined, file: string | undefined, stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (inline !== undefined && file !== undefined) throw new UserError('give the SQL either as an argument or with --file, not both')
  if (inline !== undefined) return inline.replace(/^\uFEFF/, '')
  if (file !== undefined && file !== '-') {
    let bytes: Buffer
    try {
      bytes = await readFile(file)
    } catch (error) {
      throw fileError('read', file, error)
    }

    return decode(bytes)
  }

  if (stdin.isTTY && file !== '-') throw new UserError('no SQL given: pass it as an argument, with --file FILE, or on stdin')
  return decode(await readAll(stdin))
}
