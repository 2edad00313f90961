import type {Database} from '../../db/database.js'
import type {Change} from './change.js'

import {CHANGES_TABLE} from './schema.js'

interface ChangeRow {
  action: null | string
  first_id: null | string
  id: null | string
  last_id: null | string
  op: Change['op']
  path: null | string
  row_count: null | string
  seq: string
  status: boolean | null
  txid: string
  updated_at: null | string
  xmin: string
}

export interface LoggedChange {
  change: Change
  txid: bigint
}

export interface ChangesSince {
  changes: LoggedChange[]
  /** every transaction below this one had ended when the changes were read (pg_snapshot_xmin) */
  xmin: bigint
}

// One statement, so the log and pg_current_snapshot() come from the same
// snapshot; ids and counts as text: bigint, never through a float. Entries
// in commit order (`committed`; see schema.ts), each entry's rows one per
// row, in id order (jsonb_agg ORDER BY id).
const SINCE = `WITH snapshot AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin)
SELECT snapshot.xmin, c.seq::text, c.txid::text, c.op, c.row_count::text, c.first_id::text, c.last_id::text,
  r.id::text AS id, r.action, r.path, r.status, to_json(r.updated_at) #>> '{}' AS updated_at
FROM snapshot
LEFT JOIN ${CHANGES_TABLE} c ON c.txid >= coalesce($1::xid8, pg_snapshot_xmin(pg_current_snapshot()))
LEFT JOIN LATERAL jsonb_to_recordset(c.rows) AS r(id bigint, action text, path text, status boolean, updated_at timestamptz) ON true
ORDER BY c.committed NULLS LAST, c.seq, r.id`

/**
 * The changes logged by transactions from `horizon` on (an xid8), in log
 * order; without one, from the oldest transaction still running.
 */
export async function changesSince(db: Database, horizon?: bigint): Promise<ChangesSince> {
  const {rows} = await db.query<ChangeRow>(SINCE, [horizon?.toString() ?? null])
  const changes = rows.filter(row => row.seq !== null).map(row => ({change: toChange(row), txid: BigInt(row.txid)}))
  return {changes, xmin: BigInt(rows[0].xmin)}
}

function toChange(row: ChangeRow): Change {
  if (row.op === 'truncate') return {op: 'truncate', seq: row.seq}
  if (row.id === null) return {
    count: row.row_count!, first_id: row.first_id!, last_id: row.last_id!, op: row.op, seq: row.seq,
  }
  return {
    action: row.action!, id: row.id, op: row.op, path: row.path!, seq: row.seq, status: row.status!, updated_at: row.updated_at!,
  }
}
