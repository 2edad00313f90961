import type {ActionRecord, Renderer} from './record.js'

import {printable} from './printable.js'

const COLUMNS = ['id', 'action', 'path', 'status', 'created_at'] as const
type Column = typeof COLUMNS[number]

function cell(row: ActionRecord, column: Column): string {
  if (column === 'status') return row.status ? 'done' : 'pending'
  if (column === 'created_at') return row.created_at.replace('T', ' ').replace(/(\.\d+)?\+00:00$/, 'Z')
  // a line break inside a value would break the table's rows apart
  return printable(String(row[column]).replaceAll(/[\r\n\t]/g, ' '))
}

function width(text: string): number {
  return [...text].length
}

/**
 * A plain text table. Column widths come from the first batch, so output
 * starts at once; a longer value later only pushes its own line out.
 */
export class TableRenderer implements Renderer {
  private widths: Map<Column, number> | undefined

  constructor(private readonly bold = false) {}

  end(): string {
    return ''
  }

  rows(rows: ActionRecord[]): string {
    if (rows.length === 0) return ''
    let out = ''
    if (!this.widths) {
      this.widths = new Map(COLUMNS.map(c => [c, Math.max(width(c), ...rows.map(r => width(cell(r, c))))]))
      const header = this.line(c => c)
      out += (this.bold ? `\u001B[1m${header}\u001B[22m` : header) + '\n'
      out += this.line(c => '─'.repeat(this.widths!.get(c)!)) + '\n'
    }

    for (const row of rows) out += this.line(c => cell(row, c)) + '\n'
    return out
  }

  private line(text: (column: Column) => string): string {
    return COLUMNS.map(c => {
      const value = text(c)
      return value + ' '.repeat(Math.max(0, this.widths!.get(c)! - width(value)))
    }).join('  ').trimEnd()
  }
}
