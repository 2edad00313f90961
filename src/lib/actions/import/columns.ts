import {actionId, MAX_LENGTH, textProblem} from '../validate.js'
import {RowError} from './row-error.js'

export type Column = 'action' | 'created_at' | 'id' | 'path' | 'status' | 'updated_at'

export const REQUIRED: readonly Column[] = ['action', 'path']
export const OPTIONAL: readonly Column[] = ['status', 'id', 'created_at', 'updated_at']
const KNOWN = new Set<string>([...OPTIONAL, ...REQUIRED])
export const ACCEPTED = `${REQUIRED.join(', ')}, and optionally ${OPTIONAL.join(', ')}`

export function isColumn(name: string): name is Column {
  return KNOWN.has(name)
}

/** The columns a CSV header names, checked: each known, once, action and path there. */
export function headerColumns(names: string[], line: number): Column[] {
  const columns: Column[] = []
  for (const raw of names) {
    const name = raw.trim().toLowerCase()
    if (!isColumn(name)) throw new RowError(line, `unknown column ${JSON.stringify(raw)} in the header: the columns are ${ACCEPTED}`)
    if (columns.includes(name)) throw new RowError(line, `the column ${name} appears twice in the header`)
    columns.push(name)
  }

  const missing = REQUIRED.filter(c => !columns.includes(c))
  if (missing.length > 0) {
    throw new RowError(line, `the header has no ${missing.join(' or ')} column (it has ${names.join(',')}): the columns are ${ACCEPTED}`)
  }

  return columns
}

const TRUE = ['true', 't', '1', 'yes', 'y', 'done']
const FALSE = ['false', 'f', '0', 'no', 'n', 'pending', '']
const STATUS = new Map<string, string>([...TRUE.map(v => [v, 't'] as const), ...FALSE.map(v => [v, 'f'] as const)])

/** COPY's text format: `\t` between values, `\n` after a row, and these escaped. */
const SPECIAL = /[\t\n\r\\]/
const ESCAPES: Record<string, string> = {
  '\t': String.raw`\t`, '\n': String.raw`\n`, '\r': String.raw`\r`, '\\': '\\\\',
}

function copyText(value: string): string {
  return SPECIAL.test(value) ? value.replaceAll(/[\t\n\r\\]/g, c => ESCAPES[c]) : value
}

/** What COPY gets for a value of `column`, in its text format; a RowError when the value cannot be imported. */
export function copyValue(column: Column, value: unknown, line: number): string {
  switch (column) {
  case 'action':
  case 'path': {
    if (typeof value !== 'string') throw new RowError(line, value === undefined || value === null ? `no ${column}: every row needs one` : `${column} must be text`)
    const problem = textProblem(column, value)
    if (problem !== undefined) throw new RowError(line, problem)
    return copyText(value)
  }

  case 'id': {
    return idValue(value, line)
  }

  case 'status': {
    return statusValue(value, line)
  }

  default: {
    // timestamps: PostgreSQL decides what it accepts; missing means now ('now' is the transaction's start, as now() is)
    if (value === undefined || value === null || value === '') return 'now'
    if (typeof value !== 'string') throw new RowError(line, `${column} must be a timestamp in text, such as 2026-11-27T03:25:13.123456+00:00`)
    if (value.includes('\0')) throw new RowError(line, `${column} contains a NUL byte`)
    if (value.length > MAX_LENGTH) throw new RowError(line, `${column} is not a timestamp (${value.length} characters long)`)
    return copyText(value)
  }
  }
}

function statusValue(value: unknown, line: number): string {
  if (value === true) return 't'
  if (value === false || value === undefined || value === null) return 'f'
  const text = typeof value === 'number' ? String(value) : value
  const status = typeof text === 'string' ? (STATUS.get(text) ?? STATUS.get(text.trim().toLowerCase())) : undefined
  if (status === undefined) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : JSON.stringify(value)
    throw new RowError(line, `status ${shown} is neither done nor pending: use true or false (also t/f, 1/0, yes/no, done/pending)`)
  }

  return status
}

function idValue(value: unknown, line: number): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value
  const id = typeof text === 'string' ? actionId(text) : undefined
  if (id === undefined) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(JSON.stringify(value))
    throw new RowError(line, `id ${shown} is not an action id: ids are positive whole numbers`)
  }

  return id
}
