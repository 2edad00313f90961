import type {Database} from '../db/database.js'

import {isMissingColumn, isUndefinedTable} from '../db/pg-errors.js'
import {recordedVersion, tableExists} from './migrate.js'
import {LATEST_VERSION, MIGRATIONS_TABLE} from './migrations.js'

export interface ActionsSummary {
  /** undefined when the table cannot be counted (not the tutorial's shape) */
  done?: number
  exists: boolean
  latestVersion: number
  pending?: number
  /** 0 for the tutorial's own table, which has no recorded version */
  schemaVersion: number
}

/** Whether the actions table is there, at which schema version, and how many actions are pending and done. */
export async function actionsSummary(db: Database): Promise<ActionsSummary> {
  // a table this plugin made: one statement says it all
  try {
    const {rows: [row]} = await db.query<{done: string; pending: string; version: null | number}>(`SELECT (SELECT max(version) FROM ${MIGRATIONS_TABLE}) AS version,
         count(*) FILTER (WHERE status) AS done, count(*) FILTER (WHERE NOT status) AS pending FROM actions`)
    return {
      done: Number(row.done), exists: true, latestVersion: LATEST_VERSION, pending: Number(row.pending), schemaVersion: row.version ?? 0,
    }
  } catch (error) {
    if (!isUndefinedTable(error) && !isMissingColumn(error)) throw error
  }

  // no table, the tutorial's, or another shape: step by step
  const summary: ActionsSummary = {exists: await tableExists(db, 'actions'), latestVersion: LATEST_VERSION, schemaVersion: await recordedVersion(db)}
  if (!summary.exists) return summary
  try {
    const {rows: [counts]} = await db.query<{done: string; pending: string}>('SELECT count(*) FILTER (WHERE status) AS done, count(*) FILTER (WHERE NOT status) AS pending FROM actions')
    return {...summary, done: Number(counts.done), pending: Number(counts.pending)}
  } catch (error) {
    // a table named actions of another shape: say it exists, count nothing
    if (isMissingColumn(error)) return summary
    throw error
  }
}
