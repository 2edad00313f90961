import {UserError} from '../errors.js'
import {checkAppName} from './app-name.js'
import {type APIClient, DatabaseResolver} from './heroku-cli.js'
import {platformError} from './platform-errors.js'
import {defaultRetryPolicy, withRetries} from './retry.js'

export interface ResolvedDatabase {
  addon: string
  app: string
  attachment: string
  plan: string
  /** never print, log or store this */
  url: string
}

type ConfigVars = Record<string, string>

/**
 * Not the library's getConfig: that one caches config vars in a module
 * global, and a stale URL is exactly what this plugin exists to avoid.
 */
export async function fetchConfigVars(heroku: APIClient, app: string): Promise<ConfigVars> {
  const {body} = await heroku.get<ConfigVars>(`/apps/${encodeURIComponent(app)}/config-vars`)
  return body
}

/** Private Space and Shield databases accept connections only from inside Heroku. */
export function isPrivateNetworkPlan(plan: string): boolean {
  return /private|shield/.test(plan.split(':', 2)[1] ?? '')
}

/**
 * Ask the Platform API which database `database` (attachment name, config
 * var, or APP::NAME) of `app` is, and its current URL. Resolution is the
 * one `heroku pg:*` uses (@heroku/heroku-cli-util).
 */
export async function resolveDatabase(
  heroku: APIClient,
  app: string,
  database = 'DATABASE_URL',
  getConfig: (heroku: APIClient, app: string) => Promise<ConfigVars> = fetchConfigVars,
): Promise<ResolvedDatabase> {
  checkAppName(app)
  // OTHER_APP::DATABASE names the app the resolver will ask for
  const other = /^(.+?)::/.exec(database)
  if (other) checkAppName(other[1])
  // once the answer is known to be an error, the other call stops retrying
  const settled = new AbortController()
  const api = withRetries(heroku, {...defaultRetryPolicy(), signal: settled.signal})
  // The config vars of the app that owns the database are asked for at the
  // same time as the attachment, not after it: one round trip to the API
  // instead of two. Per resolution, never kept: the URL must be fresh.
  const asked = new Map<string, Promise<ConfigVars>>()
  const configOf = (client: APIClient, name: string) => {
    if (!asked.has(name)) asked.set(name, getConfig(client, name))
    return asked.get(name)!
  }

  configOf(api, other?.[1] ?? app).catch(() => {})
  const resolver = new DatabaseResolver(api, configOf)
  refuseInteractiveLogin(heroku)
  try {
    const attachment = await resolver.getAttachment(app, database)
    const plan = attachment.addon.plan.name
    if (isPrivateNetworkPlan(plan)) {
      throw new UserError(`${attachment.addon.name} is a ${plan} database, reachable only from inside its Private Space: use heroku pg:psql -a ${attachment.app.name} (through the bastion) or run this from a dyno`)
    }

    const details = resolver.getConnectionDetails(attachment, await configOf(api, attachment.app.name ?? app))
    return {
      addon: attachment.addon.name,
      app: attachment.app.name ?? app,
      attachment: attachment.name,
      plan,
      url: details.url,
    }
  } catch (error) {
    // nothing of this command may still be asking the API once it has failed
    settled.abort()
    await Promise.allSettled(asked.values())
    // APP::NAME names the app whose database it is
    const [, owner = app, name = database] = /^(.+?)::(.+)$/.exec(database) ?? []
    throw platformError(error, owner, name)
  }
}

/**
 * The client answers a 401 for a stored login with heroku's interactive
 * browser login, which crashes without a terminal and would stall a script
 * on one. Say what to do instead.
 */
function refuseInteractiveLogin(heroku: APIClient): void {
  heroku.login = async () => {
    throw new UserError('the Platform API refused your stored Heroku login (expired or revoked): run heroku login, or set HEROKU_API_KEY')
  }
}
