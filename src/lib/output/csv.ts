import {type ActionRecord, type Renderer} from './record.js'

export const CSV_COLUMNS = ['id', 'action', 'path', 'status', 'created_at', 'updated_at'] as const

/** RFC 4180: quote a field holding a comma, quote, line break, or edge spaces. */
export function csvField(value: boolean | number | string): string {
  const text = String(value)
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export class CsvRenderer implements Renderer {
  private started = false

  end(): string {
    return this.started ? '' : this.header()
  }

  rows(rows: ActionRecord[]): string {
    let out = this.started ? '' : this.header()
    this.started = true
    for (const row of rows) out += CSV_COLUMNS.map(c => csvField(row[c])).join(',') + '\n'
    return out
  }

  private header(): string {
    this.started = true
    return CSV_COLUMNS.join(',') + '\n'
  }
}
