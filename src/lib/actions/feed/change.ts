/** One committed change to the actions table, as the change feed recorded it. */
export type Change
  /** one row: the new row for insert and update, the row as it was for delete */
  = | {action: string; id: string; op: 'delete' | 'insert' | 'update'; path: string; seq: string; status: boolean; updated_at: string}
  /** a statement of more than ROWS_KEPT rows: how many, and their ids' range */
    | {count: string; first_id: string; last_id: string; op: 'delete' | 'insert' | 'update'; seq: string}
  /** TRUNCATE: every row removed */
    | {op: 'truncate'; seq: string}

/** What the feed's NOTIFY carries: which log entry to read. */
export interface Announcement {
  count: null | number
  op: string
  seq: number
}
