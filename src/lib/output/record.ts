import type {Action} from '../actions/action.js'

/** An action as printed: plain JSON types, timestamps in ISO 8601. */
export interface ActionRecord {
  action: string
  created_at: string
  id: number
  path: string
  status: boolean
  updated_at: string
}

export function toRecord(row: Action): ActionRecord {
  return {
    action: row.action,
    created_at: row.created_at,
    id: row.id,
    path: row.path,
    status: row.status,
    updated_at: row.updated_at,
  }
}

export type Format = 'csv' | 'json' | 'table'

/** Renders rows in batches, so a list of millions never has to be held. */
export interface Renderer {
  end(): string
  rows(rows: ActionRecord[]): string
}
