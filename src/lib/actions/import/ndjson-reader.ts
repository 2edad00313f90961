import {RecordReader} from './record-reader.js'
import {RowError} from './row-error.js'

export type JsonObject = Record<string, unknown>

/** One JSON object per line; blank lines are skipped. */
export class NdjsonReader extends RecordReader<JsonObject> {
  protected parse(final: boolean): void {
    const {buf} = this
    let {line, pos} = this
    try {
      while (pos < buf.length) {
        let nl = buf.indexOf('\n', pos)
        if (nl === -1) {
          if (!final) break
          nl = buf.length
        }

        const text = buf.slice(pos, nl)
        if (text.trim() !== '') this.sink(parseObject(text, line), line)
        pos = nl + 1
        line++
      }
    } finally {
      this.pos = Math.min(pos, buf.length)
      this.line = line
    }
  }
}

const DIGITS = /\d+/y

/**
 * Integers of 16 digits or more, outside strings, as strings: JSON.parse
 * would round those above 2^53, and an exported id may be up to 2^63-1
 * (export and list --json write it as an exact number). Only ids take them.
 */
function quoteBigIntegers(text: string): string {
  if (!/\d{16}/.test(text)) return text
  let out = ''
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') out += text[i++]
      else if (c === '"') inString = false
    } else if (c === '"') {
      inString = true
    } else if (c >= '0' && c <= '9') {
      DIGITS.lastIndex = i
      const digits = DIGITS.exec(text)![0]
      const whole = !/[-.]/.test(text[i - 1] ?? '') && !/[.eE]/.test(text[i + digits.length] ?? '')
      out += whole && digits.length >= 16 ? `"${digits}"` : digits
      i += digits.length - 1
      continue
    }

    out += text[i]
  }

  return out
}

/** One JSON object, from a line of NDJSON or an element of a JSON array. */
export function parseObject(text: string, line: number): JsonObject {
  let value: unknown
  try {
    value = JSON.parse(quoteBigIntegers(text))
  } catch (error) {
    throw new RowError(line, `not valid JSON (${(error as Error).message})`)
  }

  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RowError(line, 'not a JSON object: each row must be one object such as {"action":"deploy","path":"/api/deploy"}')
  }

  return value as JsonObject
}
