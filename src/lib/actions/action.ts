export interface Action {
  action: string
  created_at: Date
  id: number
  path: string
  status: boolean
  updated_at: Date
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

/** The select list every query returns rows in; bigint ids arrive as strings, hence the cast. */
export const SELECT_COLUMNS = 'id::float8 AS id, action, path, status, created_at, updated_at'
