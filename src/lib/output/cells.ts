import stringWidth from 'string-width'

import {printable} from './printable.js'

/** What a value shows in a table cell: on one line, with no terminal controls. */
export function cellText(text: string): string {
  // a line break inside a value would break the table's rows apart
  return printable(text.replaceAll(/[\r\n\t]/g, ' '))
}

const PRINTABLE_ASCII = /^[\u0020-\u007E]*$/

/** Columns the text takes on a terminal: 2 for East Asian wide characters and emoji, 0 for combining marks. */
export function displayWidth(text: string): number {
  // string-width costs about 60 µs a call (it segments graphemes): a
  // 1,000,000-row table spent minutes in it. Printable ASCII is one column a character.
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text)
}

const ELLIPSIS = '…'
let graphemes: Intl.Segmenter | undefined

/** `text` cut to `width` columns, ending in … when cut; whole characters (graphemes) only. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text
  graphemes ??= new Intl.Segmenter()
  let out = ''
  let used = 0
  for (const {segment} of graphemes.segment(text)) {
    const w = displayWidth(segment)
    if (used + w > width - 1) break
    out += segment
    used += w
  }

  return out + ELLIPSIS
}

/** `text` padded with spaces to `width` columns. */
export function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)))
}

const GAP = 2
/** the narrowest a column is cut to: room for a character and the … */
const MIN_WIDTH = 4

/**
 * Column widths that fit `columns` (a terminal's width), taking from the
 * widest column first, as the Heroku CLI's tables do; columns in `keep`
 * (an id) are never cut. Unchanged when they fit, or when `columns` is
 * undefined (a pipe or a file: never cut).
 */
export function fitWidths(widths: number[], columns?: number, keep: ReadonlySet<number> = new Set()): number[] {
  if (columns === undefined) return widths
  const fitted = [...widths]
  let excess = fitted.reduce((sum, w) => sum + w, 0) + (GAP * (fitted.length - 1)) - columns
  const cuttable = (i: number) => !keep.has(i) && fitted[i] > MIN_WIDTH
  while (excess > 0) {
    const candidates = fitted.map((_, i) => i).filter(i => cuttable(i))
    if (candidates.length === 0) break
    let widest = candidates[0]
    for (const i of candidates) if (fitted[i] > fitted[widest]) widest = i
    const next = Math.max(MIN_WIDTH, ...candidates.filter(i => i !== widest).map(i => fitted[i]))
    const cut = Math.min(excess, Math.max(1, fitted[widest] - next))
    fitted[widest] -= cut
    excess -= cut
  }

  return fitted
}

/**
 * One line of a table: each cell padded to its column, two spaces between.
 * With `cut` (fitted to a terminal) a longer cell is cut with …; without, it
 * pushes the rest of its line out, and no value is ever lost.
 */
export function tableLine(cells: string[], widths: number[], cut: boolean): string {
  return cells.map((text, i) => pad(cut ? truncate(text, widths[i]) : text, widths[i])).join(' '.repeat(GAP)).trimEnd() + '\n'
}

/** Where tables are shown: a terminal's width when stdout is one, else undefined (never cut). */
export function terminalColumns(stream: NodeJS.WriteStream = process.stdout): number | undefined {
  return stream.isTTY && stream.columns ? stream.columns : undefined
}
