import {parseConnectionUrl} from './connection-url.js'
import {addSecret} from './redact.js'
import {sslMode} from './ssl-policy.js'

/**
 * Variables that would make libpq go elsewhere than the variables we set:
 * a service file entry outranks PGHOST and friends, and PGHOSTADDR skips
 * the host's address lookup.
 */
const OVERRIDING = ['PGHOSTADDR', 'PGSERVICE']

/**
 * The environment a user's program needs to reach the database, usable as is
 * by libpq (psql, psycopg2, SQLAlchemy) and node-postgres:
 *
 * - DATABASE_URL with the postgresql:// scheme (SQLAlchemy 1.4+ refuses
 *   Heroku's postgres://) and no query parameters: an sslmode in the URL
 *   replaces node-postgres's `ssl` option, and `require` there means
 *   verify-full, which Heroku's certificates fail.
 * - PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, for clients that read those.
 * - PGSSLMODE=require (or verify-full when asked for), which libpq honours.
 *   node-postgres reads `require` as verify-full too, so a Node program
 *   passes `ssl: {rejectUnauthorized: false}` (see the README).
 *
 * For a loopback host the user's own PGSSLMODE, if any, stays as it is.
 */
export function clientEnvironment(url: string, inherited: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const target = parseConnectionUrl(url)
  const host = target.host.includes(':') ? `[${target.host}]` : target.host
  const databaseUrl = `postgresql://${encodeURIComponent(target.user)}:${encodeURIComponent(target.password)}@${host}:${target.port}/${encodeURIComponent(target.database)}`
  addSecret(databaseUrl)
  const env: NodeJS.ProcessEnv = {...inherited}
  for (const name of OVERRIDING) delete env[name]
  const mode = sslMode(target.host, inherited.PGSSLMODE)
  if (mode !== 'prefer') env.PGSSLMODE = mode
  return {
    ...env,
    DATABASE_URL: databaseUrl,
    PGDATABASE: target.database,
    PGHOST: target.host,
    PGPASSWORD: target.password,
    PGPORT: String(target.port),
    PGUSER: target.user,
  }
}
