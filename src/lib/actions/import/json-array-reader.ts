import {JsonObject, parseObject} from './ndjson-reader.js'
import {RecordReader} from './record-reader.js'
import {RowError} from './row-error.js'

const WHITESPACE = new Set([' ', '\t', '\r', '\n'])

/**
 * A JSON array of objects, as actions:list --json prints it (or any other
 * layout of the same array), read an element at a time, so an array of
 * millions never has to be held. Each element's line is where it starts.
 */
export class JsonArrayReader extends RecordReader<JsonObject> {
  private closed = false
  private opened = false
  /** an element was read, and a comma or the closing bracket comes next */
  private separated = true

  protected parse(final: boolean): void {
    const {buf} = this
    let {line, pos} = this
    try {
      while (pos < buf.length) {
        const c = buf[pos]
        if (WHITESPACE.has(c)) {
          if (c === '\n') line++
          pos++
        } else if (this.closed) {
          throw new RowError(line, 'text after the array\'s closing ]: give one JSON array')
        } else if (!this.opened) {
          if (c !== '[') throw new RowError(line, 'not a JSON array: start with [')
          this.opened = true
          pos++
        } else if (c === ']' || c === ',') {
          if (c === ',' && this.separated) throw new RowError(line, 'a comma where a row should be')
          this.closed = c === ']'
          this.separated = c === ','
          pos++
        } else {
          if (!this.separated) throw new RowError(line, 'a comma or ] must come between rows')
          const end = elementEnd(buf, pos)
          if (end === -1) break
          const text = buf.slice(pos, end)
          this.sink(parseObject(text, line), line)
          for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) line++
          pos = end
          this.separated = false
        }
      }

      if (final && !this.closed) throw new RowError(line, this.opened ? 'the JSON array is never closed (no ])' : 'no JSON array')
    } finally {
      this.pos = pos
      this.line = line
    }
  }
}

/** Where the value starting at `start` ends (an object, or any other value up to a comma, ] or space), or -1 when it goes on past the text so far. */
function elementEnd(buf: string, start: number): number {
  let depth = 0
  let inString = false
  for (let i = start; i < buf.length; i++) {
    const c = buf[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else switch (c) {
    case '"': {
      inString = true

      break;
    }

    case '[':
    case '{': {
      depth++

      break;
    }

    case ']':
    case '}': {
      if (depth === 0) return i
      depth--
      if (depth === 0) return i + 1

      break;
    }

    default: {if (depth === 0 && (c === ',' || WHITESPACE.has(c))) {
      return i
    }
    }
    }
  }

  return -1
}
