import type {ActionsSummary} from '../actions/summary.js'
import type {ServerInfo} from '../db/server-info.js'

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

/** Heroku's `pg:info` look: a heading, then aligned "Key: value" lines. */
export function infoAsText(info: DatabaseInfo, initCommand: string): string {
  const {encryption, latencyMs, version} = info.server
  const lines: Array<[string, string]> = []
  if (info.addon) lines.push(['Add-on', `${info.addon.name} (${info.addon.plan})`])
  lines.push(
    ['Server', version],
    ['Encryption', encryption ? `${encryption.protocol}, ${encryption.cipher}${encryption.bits ? ` (${encryption.bits} bits)` : ''}` : 'none (plaintext, loopback only)'],
    ['Latency', `${latencyMs} ms round trip`],
    ['Actions', actionsLine(info.actions, initCommand)],
  )
  const width = Math.max(...lines.map(([key]) => key.length)) + 2
  return `=== ${info.label}\n${lines.map(([key, value]) => `${`${key}:`.padEnd(width)}${value}`).join('\n')}\n`
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
