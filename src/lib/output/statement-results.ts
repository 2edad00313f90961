import type {ResultSink, StatementResult} from '../db/script-runner.js'
import type {StreamWriter} from './write.js'

import {
  cellText, displayWidth, fitWidths, tableLine,
} from './cells.js'
import {printable} from './printable.js'

const COUNTED = new Set(['COPY', 'DELETE', 'FETCH', 'INSERT', 'MERGE', 'MOVE', 'SELECT', 'UPDATE'])

/** Rows the statement returned or touched, from its command tag ("INSERT 0 3" is 3). */
export function rowCount(command: string): number | undefined {
  const words = command.split(' ')
  return COUNTED.has(words[0]) ? Number(words.at(-1)) : undefined
}

/** Column widths come from the header and this many first rows; a longer value later only pushes its own line out (as actions:list does). */
const MEASURED_ROWS = 1000

function cell(value: unknown): string {
  if (value === null || value === undefined) return ''
  return cellText(typeof value === 'string' ? value : JSON.stringify(value))
}

/**
 * Each result set as a plain text table with psql's "(N rows)" after it,
 * every other statement as its command tag ("INSERT 0 3"), written as the
 * rows arrive: only the first MEASURED_ROWS of a result are held, to size its columns.
 */
export class TextResults implements ResultSink {
  private count = 0
  private measuring: string[][] = []
  private widths: number[] | undefined

  /** `columns`: a terminal's width to fit tables to; undefined never cuts */
  constructor(private readonly out: StreamWriter, private readonly columns?: number) {}

  end(result: StatementResult): void {
    if (result.fields) {
      this.flush(result.fields)
      this.out.write(`(${this.count} ${this.count === 1 ? 'row' : 'rows'})\n\n`)
    } else {
      this.out.write(`${printable(result.command)}\n`)
    }

    this.count = 0
    this.widths = undefined
  }

  row(_statement: number, fields: string[], values: unknown[]): Promise<void> | undefined {
    this.count++
    const cells = values.map(value => cell(value))
    if (this.widths) return this.out.write(this.line(cells))
    this.measuring.push(cells)
    return this.measuring.length < MEASURED_ROWS ? undefined : this.flush(fields)
  }

  /** The header and the rows held to measure them. */
  private flush(fields: string[]): Promise<void> | undefined {
    if (this.widths) return undefined
    const names = fields.map(name => cell(name))
    const widths = names.map(name => displayWidth(name))
    for (const cells of this.measuring) for (const [i, text] of cells.entries()) widths[i] = Math.max(widths[i], displayWidth(text))
    this.widths = fitWidths(widths, this.columns)
    const text = [names, this.widths.map(w => '─'.repeat(w)), ...this.measuring].map(cells => this.line(cells)).join('')
    this.measuring = []
    return this.out.write(text)
  }

  private line(cells: string[]): string {
    return tableLine(cells, this.widths!, this.columns !== undefined)
  }
}

/**
 * A JSON array with one object per statement: its number, the rows (objects
 * by column name) when it returned any, its command tag, and the row count
 * where the tag has one. Written as the rows arrive, in constant memory.
 */
export class JsonResults implements ResultSink {
  private rows = 0
  private statements = 0

  constructor(private readonly out: StreamWriter) {}

  /** What closes the array. */
  close(): void {
    this.out.write(this.statements === 0 ? '[]\n' : '\n]\n')
  }

  end(result: StatementResult): void {
    const tail = JSON.stringify({command: result.command, row_count: rowCount(result.command)}).slice(1)
    if (!result.fields) this.out.write(`${this.open(result.number)}${tail}`)
    else if (this.rows === 0) this.out.write(`${this.open(result.number)}"rows":[],${tail}`)
    else this.out.write(`\n],${tail}`)
    this.rows = 0
  }

  row(statement: number, fields: string[], values: unknown[]): Promise<void> | undefined {
    const object = JSON.stringify(Object.fromEntries(fields.map((name, i) => [name, values[i]])))
    const before = this.rows === 0 ? `${this.open(statement)}"rows":[\n` : ',\n'
    this.rows++
    return this.out.write(before + object)
  }

  private open(statement: number): string {
    return `${this.statements++ === 0 ? '[\n' : ',\n'}{"statement":${statement},`
  }
}
