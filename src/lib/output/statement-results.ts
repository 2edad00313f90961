import type {StatementResult} from '../db/script-runner.js'

const COUNTED = new Set(['COPY', 'DELETE', 'FETCH', 'INSERT', 'MERGE', 'MOVE', 'SELECT', 'UPDATE'])

/** Rows the statement returned or touched, from its command tag ("INSERT 0 3" is 3). */
export function rowCount(command: string): number | undefined {
  const words = command.split(' ')
  return COUNTED.has(words[0]) ? Number(words.at(-1)) : undefined
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  // a line break inside a value would break the table's rows apart
  return text.replaceAll(/[\r\n\t]/g, ' ')
}

function width(text: string): number {
  return [...text].length
}

/** A result set as a plain text table, like actions:list prints rows, with psql's "(N rows)" after it. */
function resultTable(fields: string[], rows: unknown[][]): string {
  const cells = rows.map(row => row.map(value => cell(value)))
  const widths = fields.map((name, i) => Math.max(width(name), ...cells.map(row => width(row[i]))))
  const line = (values: string[]) => values.map((v, i) => v + ' '.repeat(widths[i] - width(v))).join('  ').trimEnd()
  const lines = [line(fields), line(widths.map(w => '─'.repeat(w))), ...cells.map(row => line(row))]
  return `${lines.join('\n')}\n(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})\n\n`
}

/** What each statement did: its result set as a table, or its command tag ("INSERT 0 3"). */
export function resultsAsText(results: StatementResult[]): string {
  return results.map(r => (r.fields ? resultTable(r.fields, r.rows ?? []) : `${r.command}\n`)).join('')
}

/**
 * One object per statement: its number, command tag, row count where the
 * tag has one, and the rows (objects by column name) when it returned any.
 */
export function resultsAsJson(results: StatementResult[]): string {
  const objects = results.map(r => ({
    command: r.command,
    row_count: rowCount(r.command),
    rows: r.fields ? (r.rows ?? []).map(row => Object.fromEntries(r.fields!.map((name, i) => [name, row[i]]))) : undefined,
    statement: r.number,
  }))
  return JSON.stringify(objects, null, 2) + '\n'
}
