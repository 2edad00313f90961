import {Column, copyValue} from './columns.js'

/**
 * Rows to COPY's text format, batched into large Buffers. It remembers on
 * which line of the input each row of the COPY stands, to name the line
 * when the server refuses a row; only where the two counts drift apart
 * (blank lines, line breaks inside quoted fields), so it stays small.
 */
export class CopyEncoder {
  rows = 0
  private batch = ''
  private drift = 0
  private readonly drifts: Array<{drift: number; from: number}> = []

  constructor(readonly columns: readonly Column[]) {}

  /** `values` in the order of `columns`. */
  add(values: ArrayLike<unknown>, line: number): void {
    const {columns} = this
    if (values.length !== columns.length) throw new Error('bug: values do not match the columns')
    let text = copyValue(columns[0], values[0], line)
    for (let i = 1; i < columns.length; i++) text += '\t' + copyValue(columns[i], values[i], line)
    this.batch += text + '\n'
    this.rows++
    if (line - this.rows !== this.drift) {
      this.drift = line - this.rows
      this.drifts.push({drift: this.drift, from: this.rows})
    }
  }

  /** The input line of the `row`th row of the COPY (1-based, as the server counts). */
  lineOf(row: number): number {
    let drift = 0
    for (const d of this.drifts) {
      if (d.from > row) break
      drift = d.drift
    }

    return row + drift
  }

  /** The rows added since the last call, as bytes; undefined when there are none. */
  take(): Buffer | undefined {
    if (this.batch === '') return undefined
    const bytes = Buffer.from(this.batch)
    this.batch = ''
    return bytes
  }
}
