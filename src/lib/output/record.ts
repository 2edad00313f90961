import type {Action} from '../actions/action.js'

/** An action as printed: plain JSON types, timestamps in ISO 8601; the id exact (see Action). */
export interface ActionRecord {
  action: string
  created_at: string
  id: string
  path: string
  status: boolean
  updated_at: string
}

/** An action as printed (recordAsJson, not this object, keeps list --json's key order). */
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

/**
 * A row as one line of JSON, byte for byte what list --json gets from the
 * server (row_to_json): the same keys in the same order, and the id an exact
 * JSON number, which JSON.stringify of a bigint or a string cannot write.
 */
export function recordAsJson(row: ActionRecord): string {
  const {action, created_at: created, id, path, status, updated_at: updated} = row
  return `{"id":${id},"action":${JSON.stringify(action)},"path":${JSON.stringify(path)},"status":${status},"created_at":${JSON.stringify(created)},"updated_at":${JSON.stringify(updated)}}`
}

export type Format = 'csv' | 'json' | 'table'

/** Renders rows in batches, so a list of millions never has to be held. */
export interface Renderer {
  end(): string
  rows(rows: ActionRecord[]): string
}
