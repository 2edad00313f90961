export interface Action {
  action: string
  /** ISO 8601 in UTC with microseconds, as the server formats it (isoUtc) */
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
 * A timestamptz column as ISO 8601 text in UTC with all six digits of the
 * microseconds (2026-11-27T03:25:13.123456Z). Formatted by the server, so
 * every output (list, export, add --json) shows the same text and nothing is
 * lost to JavaScript's milliseconds; an export imports back unchanged.
 */
export function isoUtc(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
}

/** The select list every query returns rows in; bigint ids arrive as strings, hence the cast. */
export const SELECT_COLUMNS = `id::float8 AS id, action, path, status, ${isoUtc('created_at')} AS created_at, ${isoUtc('updated_at')} AS updated_at`
