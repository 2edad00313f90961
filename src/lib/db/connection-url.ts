import {UserError} from '../errors.js'
import {addSecret} from './redact.js'

export interface ConnectionTarget {
  database: string
  host: string
  password: string
  port: number
  user: string
}

/**
 * Split a postgres:// URL into its parts. Query parameters (sslmode and
 * friends) are deliberately dropped: TLS is decided by ssl-policy.ts.
 * Every credential is registered for redaction before anything can fail.
 */
export function parseConnectionUrl(url: string): ConnectionTarget {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new UserError('the database URL from the Platform API is not a valid URL: check the config var with heroku config -a APP')
  }

  const user = decodeURIComponent(parsed.username)
  const password = decodeURIComponent(parsed.password)
  addSecret(url)
  addSecret(password)
  addSecret(user)
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) {
    throw new UserError(`the database URL has scheme ${parsed.protocol} instead of postgres: check the config var with heroku config -a APP`)
  }

  return {
    database: decodeURIComponent(parsed.pathname.slice(1)) || user,
    host: parsed.hostname.replaceAll(/^\[|\]$/g, ''),
    password,
    port: parsed.port ? Number(parsed.port) : 5432,
    user,
  }
}
