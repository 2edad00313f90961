import {RowError} from './row-error.js'

/** No field may be longer than 255 characters: a record this long can only be wrong, and is refused before it fills memory. */
export const MAX_RECORD = 1 << 20

/**
 * Text in, records out, a chunk at a time, with the line each record starts
 * on. What is left of the last chunk waits for the next.
 */
export abstract class RecordReader<R> {
  protected buf = ''
  /** the line the unread text starts on */
  protected line = 1
  protected pos = 0

  constructor(protected readonly sink: (record: R, line: number) => void) {}

  end(): void {
    this.parse(true)
    this.buf = ''
    this.pos = 0
  }

  /** The line the end of the text given so far is on. */
  lineAtEnd(): number {
    let {line} = this
    for (let i = this.buf.indexOf('\n', this.pos); i !== -1; i = this.buf.indexOf('\n', i + 1)) line++
    return line
  }

  /** Read the complete records of buf from pos on (all of them when `final`), moving pos and line past them. */
  protected abstract parse(final: boolean): void

  push(text: string): void {
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + text : text
    this.pos = 0
    this.parse(false)
    if (this.buf.length - this.pos > MAX_RECORD) {
      throw new RowError(this.line, `the record is longer than ${MAX_RECORD} characters, where no value may have more than 255`)
    }
  }
}
