import type {Database} from '../db/database.js'

import {isMissingColumn} from '../db/pg-errors.js'

import {recordedVersion, tableExists} from './migrate.js'
import {LATEST_VERSION} from './migrations.js'

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
  const summary: ActionsSummary = {exists: await tableExists(db, 'actions'), latestVersion: LATEST_VERSION, schemaVersion: await recordedVersion(db)}
  if (!summary.exists) return summary
  try {
    const {rows: [counts]} = await db.query<{done: string; pending: string}>(
      'SELECT count(*) FILTER (WHERE status) AS done, count(*) FILTER (WHERE NOT status) AS pending FROM actions',
    )
    return {...summary, done: Number(counts.done), pending: Number(counts.pending)}
  } catch (error) {
    // a table named actions of another shape: say it exists, count nothing
    if (isMissingColumn(error)) return summary
    throw error
  }
}
