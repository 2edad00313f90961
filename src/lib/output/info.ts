import type {ActionsSummary} from '../actions/summary.js'
import type {ServerInfo} from '../db/server-info.js'

import {color} from '../heroku/heroku-cli.js'
import {printable} from './printable.js'
import {styledHeader, styledObject} from './styled.js'

export interface DatabaseInfo {
  actions: ActionsSummary
  /** absent when the database was not found through the Platform API */
  addon?: {app: string; attachment: string; name: string; plan: string}
  label: string
  server: ServerInfo
}

function actionsLine({done, exists, latestVersion, pending, schemaVersion}: ActionsSummary, initCommand: string): string {
  if (!exists) return `no actions table: create it with ${initCommand}`
  if (pending === undefined) return 'a table named actions of another shape (no action, path, status): rename it, or use another database with --database'
  const counts = `${pending} pending, ${done} done`
  if (schemaVersion === 0) return `the tutorial's table, ${counts}; upgrade it with ${initCommand}`
  if (schemaVersion < latestVersion) return `schema version ${schemaVersion}, ${counts}; upgrade it to ${latestVersion} with ${initCommand}`
  return `schema version ${schemaVersion}, ${counts}`
}

/** Heroku's `pg:info` look (hux): a heading naming the attachment and app, then aligned "Key: value" lines. */
export function infoAsText(info: DatabaseInfo, initCommand: string): string {
  const {addon} = info
  const {encryption, latencyMs, version} = info.server
  const heading = addon ? `${color.attachment(printable(addon.attachment))} on ${color.app(printable(addon.app))}` : printable(info.label)
  return styledHeader(heading) + styledObject([
    ['Add-on', addon && `${addon.name} (${addon.plan})`],
    ['Server', version],
    ['Encryption', encryption ? `${encryption.protocol}, ${encryption.cipher}${encryption.bits ? ` (${encryption.bits} bits)` : ''}` : 'none (plaintext, loopback only)'],
    ['Latency', `${latencyMs} ms round trip`],
    ['Actions', actionsLine(info.actions, initCommand)],
  ])
}

export function infoAsJson(info: DatabaseInfo): string {
  const {actions, addon, server} = info
  return JSON.stringify({
    actions: {
      done: actions.done ?? null,
      exists: actions.exists,
      latest_schema_version: actions.latestVersion,
      pending: actions.pending ?? null,
      schema_version: actions.exists ? actions.schemaVersion : null,
    },
    addon: addon?.name ?? null,
    app: addon?.app ?? null,
    attachment: addon?.attachment ?? null,
    encryption: server.encryption,
    latency_ms: server.latencyMs,
    plan: addon?.plan ?? null,
    server_version: server.version,
  }, null, 2) + '\n'
}
