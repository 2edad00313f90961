import {isStatementError} from '../../db/pg-errors.js'
import {RowError} from './row-error.js'

/**
 * The row the server refused during a `COPY table FROM STDIN` (its error
 * names the COPY's line, and the column), as a RowError naming the line of
 * the input; undefined when the error is not about a row. `lineOf` maps the
 * COPY's row number to the input's line (ImportRows.lineOf).
 */
export function copyRowError(error: unknown, lineOf: (row: number) => number): RowError | undefined {
  if (!isStatementError(error)) return undefined
  const row = /COPY \w+, line (\d+)/.exec(String((error as {where?: string}).where))
  if (!row) return undefined
  const line = lineOf(Number(row[1]))
  const taken = /^Key \(id\)=\((\d+)\) already exists/.exec(String((error as {detail?: string}).detail))
  if (taken) return new RowError(line, `id ${taken[1]} is already taken, in the table or earlier in the file (leave out the id column to give the rows new ids)`)
  const column = /, column (\w+):/.exec(String((error as {where?: string}).where))
  return new RowError(line, `${column ? `${column[1]}: ` : ''}${error.message.split('\n', 1)[0]}`)
}
