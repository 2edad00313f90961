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

function parseObject(text: string, line: number): JsonObject {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new RowError(line, `not valid JSON (${(error as Error).message})`)
  }

  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RowError(line, 'not a JSON object: each line must be one object such as {"action":"deploy","path":"/api/deploy"}')
  }

  return value as JsonObject
}
