export interface Action {
  action: string
  /** ISO 8601 in UTC, as the server writes it in JSON (jsonTime): 2026-11-27T03:25:13.123456+00:00 */
  created_at: string
  /**
   * The bigint id as its exact decimal text (node-postgres reads int8 as a
   * string): ids go up to 2^63-1, and a JavaScript number is exact only to 2^53.
   */
  id: string
  path: string
  status: boolean
  updated_at: string
}

export type Status = 'done' | 'pending'

export interface ListFilter {
  action?: string
  limit?: number
  /** rows whose path starts with this */
  path?: string
  status?: Status
}

/**
 * A timestamptz column as the text PostgreSQL writes for it in JSON: ISO
 * 8601 with the microseconds it holds, in the session's time zone, which
 * the connection sets to UTC (2026-11-27T03:25:13.123456+00:00). So add
 * --json and the rows list --json and export stream straight from COPY
 * (row_to_json) show the same text, and nothing is lost to JavaScript's
 * milliseconds.
 */
export function jsonTime(column: string): string {
  return `to_json(${column}) #>> '{}'`
}

/** The select list every query returns rows in; the bigint id arrives as exact text (see Action). */
export const SELECT_COLUMNS = `id, action, path, status, ${jsonTime('created_at')} AS created_at, ${jsonTime('updated_at')} AS updated_at`
