/**
 * Kept instead of csv-parse 7.0.3 (issue 12; bench/libraries.ts, numbers in
 * bench/results.md). Speed: 1,000,000 rows (36 MiB in 64 KiB chunks) to
 * records took 1.44 s here and 14.5 s with csv-parse (0.10x; medians of 3 at
 * load 4 to 6): csv-parse alone would take several times what the whole
 * import takes (1.48 s at load 0.3, 0.95x psql's \copy). Strictness, with
 * its strictest options (record_delimiter CRLF and LF, skip_empty_lines; the
 * field count is checked in rows.ts either way): it refuses what this reader
 * refuses, but
 * - an unclosed quote is named at the end of the file ("Quote Not Closed ...
 *   at line 3"), not on the line where the quote opened;
 * - its line count takes every CR for a line break, so after a CRLF inside a
 *   quoted field, or a lone CR inside a field, every line it names is one
 *   too far on (and info.lines is the line a record ends on, not starts on).
 */
import {RecordReader} from './record-reader.js'
import {RowError} from './row-error.js'

/* eslint-disable unicorn/prefer-code-point -- the scanner compares UTF-16 code units with ASCII delimiters; a code point would change no comparison and add undefined to each */

const COMMA = 44
const CR = 13
const LF = 10
const QUOTE = 34

const BROKEN_QUOTE = 'a quote inside an unquoted field: put the whole field in quotes and double the quotes inside it ("")'
const AFTER_QUOTE = 'a closing quote must be followed by a comma or the end of the line (a quote inside a quoted field is written "")'

/**
 * RFC 4180 records: fields separated by commas, records by LF or CRLF,
 * fields in double quotes may hold commas, line breaks and "" for a quote.
 * Blank lines are skipped. Lines without a quote take a fast path (a split);
 * the others are read a character at a time.
 */
export class CsvReader extends RecordReader<string[]> {
  protected parse(final: boolean): void {
    const {buf} = this
    let {line, pos} = this
    let quote = -1
    try {
      while (pos < buf.length) {
        if (quote < pos) {
          quote = buf.indexOf('"', pos)
          if (quote === -1) quote = Infinity
        }

        const nl = buf.indexOf('\n', pos)
        if (quote < (nl === -1 ? buf.length : nl)) {
          const record = this.quoted(pos, line, final)
          if (!record) break
          this.sink(record.fields, line)
          pos = record.next
          line += record.lines
          continue
        }

        if (nl === -1 && !final) break
        const next = nl === -1 ? buf.length : nl
        const end = next > pos && buf.charCodeAt(next - 1) === CR ? next - 1 : next
        if (end > pos) this.sink(buf.slice(pos, end).split(','), line)
        pos = next + 1
        line++
      }
    } finally {
      this.pos = Math.min(pos, buf.length)
      this.line = line
    }
  }

  /** The record at `start`, which holds a quote; undefined when it does not end within buf yet. */
  // eslint-disable-next-line complexity -- the hot loop over a quoted record, kept whole so that no character costs a call
  private quoted(start: number, line: number, final: boolean): undefined | {fields: string[]; lines: number; next: number} {
    const {buf} = this
    const fields: string[] = []
    let i = start
    let lines = 0
    while (true) {
      if (buf.charCodeAt(i) === QUOTE) {
        let value = ''
        let j = i + 1
        while (true) {
          const q = buf.indexOf('"', j)
          if (q === -1 || (q + 1 === buf.length && !final)) {
            // eslint-disable-next-line max-depth -- as complexity above
            if (final) throw new RowError(line + lines, 'a quoted field is never closed: add the closing quote')
            return undefined
          }

          const part = buf.slice(j, q)
          value += part
          lines += count(part)
          if (buf.charCodeAt(q + 1) !== QUOTE) {
            i = q + 1
            break
          }

          value += '"'
          j = q + 2
        }

        fields.push(value)
      } else {
        let j = i
        for (let c = buf.charCodeAt(j); j < buf.length && c !== COMMA && c !== LF; c = buf.charCodeAt(++j)) {
          if (c === QUOTE) throw new RowError(line + lines, BROKEN_QUOTE)
        }

        if (j === buf.length && !final) return undefined
        fields.push(buf.slice(i, buf.charCodeAt(j - 1) === CR && buf.charCodeAt(j) === LF ? j - 1 : j))
        i = j
      }

      const c = buf.charCodeAt(i)
      if (c === COMMA) {
        i++
        continue
      }

      if (c === LF) return {fields, lines: lines + 1, next: i + 1}
      if (c === CR && buf.charCodeAt(i + 1) === LF) return {fields, lines: lines + 1, next: i + 2}
      if (i >= buf.length) return final ? {fields, lines, next: i} : undefined
      if (c === CR && i + 1 === buf.length && !final) return undefined
      throw new RowError(line + lines, AFTER_QUOTE)
    }
  }
}

function count(text: string): number {
  let n = 0
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++
  return n
}
