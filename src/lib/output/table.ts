import type {ActionRecord, Renderer} from './record.js'

import {
  cellText, displayWidth, fitWidths, tableLine,
} from './cells.js'

const COLUMNS = ['id', 'action', 'path', 'status', 'created_at'] as const
type Column = typeof COLUMNS[number]
/** an id cut short is a different id */
const KEEP = new Set([COLUMNS.indexOf('id')])

function cell(row: ActionRecord, column: Column): string {
  if (column === 'status') return row.status ? 'done' : 'pending'
  if (column === 'created_at') return row.created_at.replace('T', ' ').replace(/(\.\d+)?\+00:00$/, 'Z')
  return cellText(String(row[column]))
}

export interface TableOptions {
  /** how the header is styled (bold on a terminal) */
  bold?: (text: string) => string
  /** a terminal's width to fit the columns to (values cut with …); undefined never cuts */
  columns?: number
}

/**
 * A plain text table. Column widths come from the first batch, so output
 * starts at once; a longer value later only pushes its own line out (or,
 * fitted to a terminal, is cut).
 */
export class TableRenderer implements Renderer {
  private widths: number[] | undefined

  constructor(private readonly options: TableOptions = {}) {}

  end(): string {
    return ''
  }

  rows(rows: ActionRecord[]): string {
    if (rows.length === 0) return ''
    let out = ''
    if (!this.widths) {
      const measured = COLUMNS.map(c => Math.max(displayWidth(c), ...rows.map(r => displayWidth(cell(r, c)))))
      this.widths = fitWidths(measured, this.options.columns, KEEP)
      const header = this.line([...COLUMNS])
      out += this.options.bold ? `${this.options.bold(header.trimEnd())}\n` : header
      out += this.line(this.widths.map(w => '─'.repeat(w)))
    }

    for (const row of rows) out += this.line(COLUMNS.map(c => cell(row, c)))
    return out
  }

  private line(cells: string[]): string {
    return tableLine(cells, this.widths!, this.options.columns !== undefined)
  }
}
