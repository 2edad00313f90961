import {readFileSync} from 'node:fs'

import pg from 'pg'

export const APPLICATION_NAME = 'heroku-actions-web-app'

/**
 * The connection settings for DATABASE_URL, with the same rules as the
 * heroku-actions plugin:
 * - The URL's query parameters are dropped. In node-postgres an `sslmode` in
 *   the connection string replaces the `ssl` option, and `?sslmode=require`
 *   then means verify-full, which fails with `self-signed certificate` on
 *   Heroku (its database certificates are not publicly verifiable).
 * - Always SSL, certificate not checked (libpq's `require`), unless
 *   PGSSLMODE=verify-full (or verify-ca) asks for a checked one
 *   (PGSSLROOTCERT names the CA file).
 * - Plaintext only to a loopback host, and only with PGSSLMODE=disable.
 */
export function connectionConfig(url, env = process.env) {
  let parsed
  try {
    parsed = new URL(url)
  } catch {
    // the message must not repeat the URL: it holds the password
    throw new Error('DATABASE_URL is not a valid URL')
  }

  if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error('DATABASE_URL is not a postgres:// URL')
  const host = parsed.hostname.replace(/^\[|\]$/g, '')
  const user = decodeURIComponent(parsed.username)
  return {
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: 10_000,
    database: decodeURIComponent(parsed.pathname.slice(1)) || user,
    host,
    password: decodeURIComponent(parsed.password),
    port: parsed.port ? Number(parsed.port) : 5432,
    ssl: ssl(host, (env.PGSSLMODE ?? '').toLowerCase(), env.PGSSLROOTCERT),
    user,
  }
}

export function isLoopback(host) {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

function ssl(host, mode, rootCertFile) {
  if (mode === 'verify-full' || mode === 'verify-ca') {
    const ca = rootCertFile && rootCertFile !== 'system' ? readFileSync(rootCertFile, 'utf8') : undefined
    return {ca, rejectUnauthorized: true}
  }

  if (mode === 'disable' && isLoopback(host)) return false
  return {rejectUnauthorized: false}
}

/**
 * The pool for requests (marking an action done). Two connections: with the
 * LISTEN connection, a process never holds more than three, however many
 * pages are open.
 */
export function createPool(config, onError) {
  const pool = new pg.Pool({...config, idleTimeoutMillis: 30_000, max: 2})
  // An idle pooled connection that the server drops (restart, failover,
  // pg_terminate_backend) emits 'error' on the pool; unhandled, it would end
  // the process. The pool replaces it on the next request.
  pool.on('error', onError)
  return pool
}

/** A short reason for a log line: the error's code, never its message (which can name the host or user). */
export function reason(error) {
  if (!error) return 'connection closed'
  return error.code ?? error.name ?? 'unknown error'
}
