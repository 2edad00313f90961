import type {Database} from '../../db/database.js'

import {UserError} from '../../errors.js'
import {NOTHING_CHANGED} from './messages.js'
import {PlanCounts, PlanEntry, STEPS} from './plan-entry.js'
import {STAGED} from './staged-file.js'

const PLAN = 'heroku_actions_apply_plan'

/**
 * One pass over both sides (a hash full join on the pair): a row of the
 * file alone is added (step 1), in both with another status is changed (2),
 * of the table alone is removed with --prune, else kept (3). Materialized,
 * so that what is printed and what is applied are the same rows.
 */
const COMPUTE = `CREATE TEMPORARY TABLE ${PLAN} ON COMMIT DROP AS
SELECT CASE WHEN a.id IS NULL THEN 1 WHEN f.n IS NULL THEN 3 ELSE 2 END AS step,
  coalesce(f.n, a.id) AS ord, a.id,
  coalesce(f.action, a.action) AS action, coalesce(f.path, a.path) AS path, coalesce(f.status, a.status) AS status,
  CASE WHEN f.n IS NOT NULL THEN a.status END AS old_status
FROM ${STAGED} f FULL JOIN actions a ON a.action = f.action AND a.path = f.path
WHERE a.id IS NULL OR f.n IS NULL OR a.status <> f.status`

const COUNTS = `SELECT step, count(*)::int AS count FROM ${PLAN} GROUP BY step`

const ENTRIES = `SELECT step, action, path, status, old_status FROM ${PLAN} WHERE step < 3 OR $1 ORDER BY step, ord`

/** All three in one statement (one round trip); they touch different rows. Rows are added in the file's order. */
const APPLY = `WITH removed AS (
  DELETE FROM actions a USING ${PLAN} p WHERE $1 AND p.step = 3 AND a.id = p.id RETURNING 1
), changed AS (
  UPDATE actions a SET status = p.status, updated_at = now() FROM ${PLAN} p WHERE p.step = 2 AND a.id = p.id RETURNING 1
), added AS (
  INSERT INTO actions (action, path, status) SELECT action, path, status FROM ${PLAN} WHERE step = 1 ORDER BY ord RETURNING 1
)
SELECT (SELECT count(*) FROM added)::int AS add, (SELECT count(*) FROM changed)::int AS change, (SELECT count(*) FROM removed)::int AS remove`

// the earliest pair the table has more than once, all its ids, and how many such pairs there are
const DUPLICATES = `WITH d AS (SELECT action, path, min(id) AS first FROM actions GROUP BY action, path HAVING count(*) > 1)
SELECT f.action, f.path, (SELECT count(*) FROM d)::int AS pairs,
  (SELECT array_agg(a.id ORDER BY a.id)::text[] FROM actions a WHERE a.action = f.action AND a.path = f.path) AS ids
FROM (SELECT * FROM d ORDER BY first LIMIT 1) f`

interface PlanRow {
  action: string
  old_status: boolean | null
  path: string
  status: boolean
  step: 1 | 2 | 3
}

/** The plan, computed by the server from the staged file and the actions table; call under the lock. */
export class PlanTable {
  constructor(private readonly db: Database, private readonly prune: boolean) {}

  /** Make the table match the plan; resolves with what was done. */
  async apply(planned: PlanCounts): Promise<PlanCounts> {
    const {rows: [done]} = await this.db.query<Omit<PlanCounts, 'kept'>>(APPLY, [this.prune])
    const applied = {...done, kept: planned.kept}
    // under the lock nothing can differ; if it does, roll back rather than commit another plan than the one printed
    if (applied.add !== planned.add || applied.change !== planned.change || applied.remove !== planned.remove) {
      throw new Error(`bug: the plan was ${JSON.stringify(planned)} but ${JSON.stringify(applied)} was done; ${NOTHING_CHANGED}`)
    }

    return applied
  }

  /**
   * Refuse a table that has a pair more than once: apply could not tell
   * which row the file means. `removeCommand` says how to remove rows by id.
   */
  async checkTable(removeCommand: (ids: string[]) => string): Promise<void> {
    const {rows: [twice]} = await this.db.query<{action: string; ids: string[]; pairs: number; path: string}>(DUPLICATES)
    if (!twice) return
    const more = twice.pairs > 1 ? ` (and ${twice.pairs - 1} more such ${twice.pairs === 2 ? 'pair' : 'pairs'})` : ''
    throw new UserError(`the table has action ${JSON.stringify(twice.action)} and path ${JSON.stringify(twice.path)} ${twice.ids.length} times (ids ${twice.ids.join(', ')})${more}: `
      + `apply matches rows by action and path, so each pair must be there once; keep one and remove the others (${removeCommand(twice.ids.slice(1))}), then apply again; ${NOTHING_CHANGED}`)
  }

  async compute(): Promise<PlanCounts> {
    await this.db.query(COMPUTE)
    const {rows} = await this.db.query<{count: number; step: number}>(COUNTS)
    const count = (step: number) => rows.find(r => r.step === step)?.count ?? 0
    return {
      add: count(1), change: count(2), kept: this.prune ? 0 : count(3), remove: this.prune ? count(3) : 0,
    }
  }

  /** The plan's entries in batches: adds and changes in the file's order, then removals in id order. */
  async * entries(): AsyncGenerator<PlanEntry[]> {
    for await (const rows of this.db.cursor<PlanRow>(ENTRIES, [this.prune])) {
      yield rows.map(({action, old_status: oldStatus, path, status, step}) => (
        step === 2
          ? {
            action, old_status: oldStatus!, path, status, step: 'change',
          }
          : {
            action, path, status, step: STEPS[step - 1],
          }))
    }
  }
}
