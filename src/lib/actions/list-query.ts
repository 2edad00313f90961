import {ListFilter, SELECT_COLUMNS} from './action.js'

function escapeLike(value: string): string {
  return value.replaceAll(/[\\%_]/g, String.raw`\$&`)
}

export interface ListQueryOptions {
  /** the select list; SELECT_COLUMNS by default */
  columns?: string
  /** how the SQL refers to the n-th value; `$n` by default (COPY takes none: see copy-query.ts) */
  placeholder?: (n: number) => string
}

/** The SELECT for a filter; every value travels as a parameter. */
export function listQuery(filter: ListFilter, options: ListQueryOptions = {}): {params: unknown[]; sql: string} {
  const placeholder = options.placeholder ?? (n => `$${n}`)
  const where: string[] = []
  const params: unknown[] = []
  const add = (condition: (value: string) => string, value: unknown) => {
    params.push(value)
    where.push(condition(placeholder(params.length)))
  }

  if (filter.status) add(p => `status = ${p}::boolean`, filter.status === 'done')
  if (filter.action !== undefined) add(p => `action = ${p}::text`, filter.action)
  if (filter.path !== undefined) add(p => `path LIKE ${p}::text`, `${escapeLike(filter.path)}%`)
  let sql = `SELECT ${options.columns ?? SELECT_COLUMNS} FROM actions`
  if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`
  sql += ' ORDER BY id'
  if (filter.limit !== undefined) {
    params.push(filter.limit)
    sql += ` LIMIT ${placeholder(params.length)}::bigint`
  }

  return {params, sql}
}
