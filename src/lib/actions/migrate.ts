import type {Database} from '../db/database.js'

import {ConnectionLost} from '../db/connection-lost.js'
import {isConnectionLost, isUndefinedTable} from '../db/pg-errors.js'
import {UserError} from '../errors.js'
import {
  CREATE_MIGRATIONS_TABLE, LATEST_VERSION, Migration, MIGRATIONS, MIGRATIONS_TABLE,
} from './migrations.js'

export interface MigrationPlan {
  current: number
  /** whether a table named actions was there before (the tutorial's, when current is 0) */
  existed: boolean
  pending: Migration[]
}

// an arbitrary constant shared by every copy of this plugin: two inits on one
// database take turns instead of racing each other's CREATE and ALTER
const LOCK_KEY = 7_351_008_415
const AGAIN = 'run heroku actions:init again, it is safe to repeat'

export async function tableExists(db: Database, table: string): Promise<boolean> {
  const {rows} = await db.query<{exists: boolean}>('SELECT to_regclass($1) IS NOT NULL AS exists', [table])
  return rows[0].exists
}

/** The last migration recorded in the database; 0 when none is. */
export async function recordedVersion(db: Database): Promise<number> {
  if (!(await tableExists(db, MIGRATIONS_TABLE))) return 0
  const {rows} = await db.query<{version: null | number}>(`SELECT max(version) AS version FROM ${MIGRATIONS_TABLE}`)
  return rows[0].version ?? 0
}

/**
 * What init would do. The tutorial's own table has no record, so it starts
 * at 0 too: version 1 (CREATE TABLE IF NOT EXISTS) then checks its shape.
 */
export async function plan(db: Database): Promise<MigrationPlan> {
  const current = await recordedVersion(db)
  return {current, existed: await tableExists(db, 'actions'), pending: MIGRATIONS.filter(m => m.version > current)}
}

/**
 * Bring the schema up to date: under a session advisory lock, each pending
 * migration in its own transaction together with its record. Returns what
 * was applied (nothing when another init got there first).
 */
export async function migrate(db: Database): Promise<MigrationPlan> {
  try {
    // nothing to do, the common case: one statement, no lock
    return await alreadyCurrent(db) ?? await migrateLocked(db)
  } catch (error) {
    if (!(error instanceof ConnectionLost) && !isConnectionLost(error)) throw error
    // steps before the break may be in; every step is whole, and recorded with itself
    throw new UserError(`the connection to the database was lost during init; each schema step is all or nothing: ${AGAIN}`, {cause: error})
  }
}

/** The plan when the recorded version is the latest (one round trip); undefined when there may be work. */
async function alreadyCurrent(db: Database): Promise<MigrationPlan | undefined> {
  try {
    const {rows: [row]} = await db.query<{existed: boolean; version: null | number}>(`SELECT max(version) AS version, to_regclass('actions') IS NOT NULL AS existed FROM ${MIGRATIONS_TABLE}`)
    if (row.version === LATEST_VERSION && row.existed) return {current: LATEST_VERSION, existed: true, pending: []}
  } catch (error) {
    // no migrations table yet (42P01): the locked path creates it
    if (!isUndefinedTable(error)) throw error
  }

  return undefined
}

async function migrateLocked(db: Database): Promise<MigrationPlan> {
  await db.query('SELECT pg_advisory_lock($1)', [LOCK_KEY])
  try {
    await db.query(CREATE_MIGRATIONS_TABLE)
    const todo = await plan(db)
    for (const migration of todo.pending) {
      await db.transaction(async () => {
        for (const statement of migration.sql) await db.query(statement)
        if (migration.version === 1) await checkTutorialShape(db)
        await db.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, name) VALUES ($1, $2)`, [migration.version, migration.name])
      })
    }

    return todo
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {})
  }
}

/** A table named actions that is not the tutorial's is not ours to change. */
async function checkTutorialShape(db: Database): Promise<void> {
  const {rows} = await db.query<{name: string}>(`SELECT attname AS name FROM pg_attribute
     WHERE attrelid = to_regclass('actions') AND attnum > 0 AND NOT attisdropped`)
  const names = new Set(rows.map(r => r.name))
  const missing = ['action', 'path', 'status'].filter(c => !names.has(c))
  if (missing.length > 0) {
    throw new UserError(`a table named actions already exists without the column(s) ${missing.join(', ')}: rename it, or use another database with --database`)
  }
}
