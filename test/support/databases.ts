import pg from 'pg'

import {getWorld} from './world.js'

/** The URL of another database on the test server, with the current credentials. */
export function urlOf(database: string): string {
  const url = new URL(getWorld().pg.url)
  url.pathname = `/${encodeURIComponent(database)}`
  return url.toString()
}

/** Run SQL on any database of the test server, over SSL, as the app's user. */
export async function queryUrl<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({connectionString: url, ssl: {rejectUnauthorized: false}})
  await client.connect()
  try {
    return (await client.query(sql, params)).rows as T[]
  } finally {
    await client.end()
  }
}

export async function hasActionsTable(url: string): Promise<boolean> {
  const [row] = await queryUrl<{exists: boolean}>(url, "SELECT to_regclass('public.actions') IS NOT NULL AS exists")
  return row.exists
}
