import {ListFilter, SELECT_COLUMNS} from './action.js'

function escapeLike(value: string): string {
  return value.replaceAll(/[\\%_]/g, '\\$&')
}

/** The SELECT for a filter; every value travels as a parameter. */
export function listQuery(filter: ListFilter): {params: unknown[]; sql: string} {
  const where: string[] = []
  const params: unknown[] = []
  const add = (condition: (n: number) => string, value: unknown) => {
    params.push(value)
    where.push(condition(params.length))
  }

  if (filter.status) add(n => `status = $${n}`, filter.status === 'done')
  if (filter.action !== undefined) add(n => `action = $${n}`, filter.action)
  if (filter.path !== undefined) add(n => `path LIKE $${n}`, `${escapeLike(filter.path)}%`)
  let sql = `SELECT ${SELECT_COLUMNS} FROM actions`
  if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`
  sql += ' ORDER BY id'
  if (filter.limit !== undefined) {
    params.push(filter.limit)
    sql += ` LIMIT $${params.length}`
  }

  return {params, sql}
}
