import {UserError} from '../errors.js'
import {vars} from './heroku-cli.js'

interface ApiErrorShape {
  body?: {id?: string; message?: string; resource?: string}
  code?: string
  http?: {statusCode?: number}
  message?: string
  statusCode?: number
}

const ADD_DATABASE = 'heroku addons:create heroku-postgresql:essential-0'

/** Turn what the Platform API (or the resolver on top of it) threw into one actionable line. */
export function platformError(error: unknown, app: string, database = 'DATABASE_URL'): UserError {
  if (error instanceof UserError) return error
  const e = (error ?? {}) as ApiErrorShape
  const status = e.http?.statusCode ?? e.statusCode
  const full = e.body?.message ?? e.message ?? String(error)
  const message = full.split('\n', 1)[0]
  // the resolver's messages quote --database, which may hold a line break
  return new UserError(describe(e, status, message, app) ?? describeDatabase(full, app, database) ?? message, {cause: error})
}

/** The resolver's own messages (the ones heroku pg:* prints), with the next step added. */
function describeDatabase(message: string, app: string, database: string): string | undefined {
  if (/has no databases/.test(message)) {
    return `${app} has no Heroku Postgres database: add one with ${ADD_DATABASE} -a ${app}`
  }

  const unknown = /^Unknown database: .*\. Valid options are: (.*)$/s.exec(message)
  if (unknown) return `${app} has no database ${database}: pass --database with one of ${unknown[1]}`
  const ambiguous = /^Ambiguous identifier; multiple matching add-ons found: (.*?)\.?$/s.exec(message)
  if (ambiguous) return `--database ${database} matches more than one attachment (${ambiguous[1]}): pass one of those names`
  return undefined
}

function describe(e: ApiErrorShape, status: number | undefined, message: string, app: string): string | undefined {
  if (status === 404 && (e.body?.resource === 'app' || /find that app/i.test(message))) {
    return `app ${app} not found: check the name with heroku apps, or pass another with --app`
  }

  if (/HEROKU_API_KEY is invalid/.test(message) || status === 401) {
    return process.env.HEROKU_API_KEY
      ? 'the token in HEROKU_API_KEY was refused by the Platform API: set a valid one (heroku authorizations:create) or unset it and run heroku login'
      : 'not logged in, or the login expired: run heroku login'
  }

  if (status === 403) {
    return `access to ${app} was denied (${message.trim().replace(/\.$/, '')}): ask the app's owner for access, or check heroku access -a ${app}`
  }

  if (e.code && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE)$/.test(e.code)) {
    return `could not reach the Heroku Platform API at ${vars.apiHost} (${e.code}): check your network and try again`
  }

  if (status === 429) {
    return 'the Heroku Platform API rate limit for this account was reached, also after a few retries: wait a minute and try again'
  }

  if (status && status >= 500) {
    return `the Heroku Platform API failed (HTTP ${status}), also after a few retries: try again in a moment, or check status.heroku.com`
  }

  return undefined
}
