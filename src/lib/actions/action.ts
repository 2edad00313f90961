export interface Action {
  action: string
  /** ISO 8601 in UTC, as the server writes it in JSON (jsonTime): 2026-11-27T03:25:13.123456+00:00 */
  created_at: string
  id: number
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

export const COLUMNS = ['id', 'action', 'path', 'status', 'created_at', 'updated_at'] as const

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

/** The select list every query returns rows in; bigint ids arrive as strings, hence the cast. */
export const SELECT_COLUMNS = `id::float8 AS id, action, path, status, ${jsonTime('created_at')} AS created_at, ${jsonTime('updated_at')} AS updated_at`
