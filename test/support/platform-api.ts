import type {AddressInfo} from 'node:net'

import {createHash, randomInt} from 'node:crypto'
import {
  createServer, IncomingMessage, Server, ServerResponse,
} from 'node:http'

/**
 * A stand-in for the Heroku Platform API, speaking the endpoints and payload
 * shapes that @heroku-cli/command 13 and @heroku/heroku-cli-util 10
 * (DatabaseResolver, AddonAttachmentResolver) rely on. Point the CLI at it
 * with HEROKU_HOST=<url> and HEROKU_API_KEY=<token>; set HEROKU_DATA_HOST=127.0.0.1
 * as well so that the Data API bastion lookup for private plans lands here too.
 */

export interface FakeDatabase {
  addon?: string
  aliases?: string[]
  attachment: string
  /** credential namespace of the attachment, e.g. 'credential:reporting'; default null */
  namespace?: null | string
  plan?: string
  url: string
}

export interface FakeApp {config?: Record<string, string>; databases: FakeDatabase[]; name: string;}

export interface RecordedRequest {
  /** Date.now() when it arrived */
  at: number
  body: unknown
  headers: Record<string, string | string[] | undefined>
  method: string
  path: string
}

interface Ref {id: string; name: string}
interface AddonState extends Ref {app: Ref; createdAt: string; plan: Ref;}
interface AttachmentState extends Ref {addon: AddonState; app: Ref; createdAt: string; namespace: null | string;}
interface AppState {addons: AddonState[]; app: FakeApp; attachments: AttachmentState[]; createdAt: string; ref: Ref;}

type Json = unknown
interface Reply {body: Json; headers?: Record<string, string>; status: number;}

const ADDON_SERVICE: Ref = {id: uuidFrom('addon-service:heroku-postgresql'), name: 'heroku-postgresql'}
const ADJECTIVES = ['curved', 'clean', 'solid', 'cubic', 'vertical', 'angular', 'shallow', 'octagonal', 'flexible', 'rigid']

function uuidFrom(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

function notFound(message: string, resource?: string): Reply {
  return {body: resource ? {id: 'not_found', message, resource} : {id: 'not_found', message}, status: 404}
}

const appNotFound = (): Reply => notFound("Couldn't find that app.", 'app')

/** Bodies and headers as the real API sends them for the statuses tests inject. */
function failure(status: number): Reply {
  switch (status) {
  case 401: {
    return {body: {id: 'unauthorized', message: 'Invalid credentials provided.'}, status}
  }

  case 403: {
    return {body: {id: 'forbidden', message: 'You do not have access to the app.'}, status}
  }

  case 404: {
    return notFound('Not found.')
  }

  case 429: {
    // Heroku sends no Retry-After, only RateLimit-Remaining.
    return {
      body: {id: 'rate_limit', message: 'Your account reached the API rate limit\nPlease wait a few minutes before making new requests'},
      headers: {'RateLimit-Remaining': '0'},
      status,
    }
  }

  case 500: {
    return {body: {id: 'internal_server_error', message: 'Internal server error.'}, status}
  }

  case 503: {
    return {body: {id: 'service_unavailable', message: 'API is temporarily unavailable. Please try again later.'}, status}
  }

  default: {
    return {body: {id: 'error', message: `Request failed with status ${status}.`}, status}
  }
  }
}

function inclusions(req: IncomingMessage): Set<string> {
  const raw = req.headers['accept-inclusion']
  const value = Array.isArray(raw) ? raw.join(',') : raw ?? ''
  return new Set(value.split(',').map(s => s.trim()).filter(Boolean))
}

export class PlatformApi {
  /** TCP connections the clients opened: fewer than requests when keep-alive works */
  connections = 0
  /** how long each answer takes, as for a client far from the API (bench/far.ts) */
  delayMs = 0
  requests: RecordedRequest[] = []
  token: string
  url = ''
  private addonNames = new Map<string, string>()
  private apps = new Map<string, AppState>()
  private failures: Array<{headers?: Record<string, string>; path?: string; status: number}> = []
  private lateUrls: Array<{app: string; db: FakeDatabase; reads: number; url: string}> = []
  private server: Server | undefined

  constructor(options: {token: string}) {
    this.token = options.token
  }

  /**
   * The next `count` requests (to `path` only, when given) fail with
   * `status`, with extra response headers (Retry-After, say).
   */
  failNext(status: number, count = 1, headers?: Record<string, string>, path?: string): void {
    for (let i = 0; i < count; i++) this.failures.push({headers, path, status})
  }

  removeApp(name: string): void {
    this.apps.delete(name)
  }

  reset(): void {
    this.apps.clear()
    this.failures = []
    this.lateUrls = []
    this.requests = []
    this.connections = 0
    this.delayMs = 0
  }

  setApp(app: FakeApp): void {
    const previous = this.apps.get(app.name)
    const ref: Ref = previous?.ref ?? {id: uuidFrom(`app:${app.name}:${Date.now()}:${Math.random()}`), name: app.name}
    const createdAt = previous?.createdAt ?? new Date().toISOString()
    const addons = new Map<string, AddonState>()
    const attachments: AttachmentState[] = []
    for (const db of app.databases) {
      const name = db.addon ?? this.generatedAddonName(app.name, db.attachment)
      const planName = db.plan ?? 'heroku-postgresql:essential-0'
      let addon = addons.get(name)
      if (!addon) {
        addon = {
          app: ref, createdAt, id: uuidFrom(`addon:${ref.id}:${name}`), name, plan: {id: uuidFrom(`plan:${planName}`), name: planName},
        }
        addons.set(name, addon)
      }

      for (const attachmentName of [db.attachment, ...(db.aliases ?? [])]) {
        attachments.push({
          addon, app: ref, createdAt, id: uuidFrom(`attachment:${addon.id}:${attachmentName}`), name: attachmentName, namespace: db.namespace ?? null,
        })
      }
    }

    this.apps.set(app.name, {
      addons: [...addons.values()], app: structuredClone(app), attachments, createdAt, ref,
    })
  }

  setDatabaseUrl(app: string, attachment: string, url: string): void {
    this.database(app, attachment).url = url
  }

  /**
   * A rotation the API learns of late: the next `reads` reads of the app's
   * config vars still show the URL it has now, the ones after that `url`.
   */
  setDatabaseUrlAfter(app: string, attachment: string, url: string, reads = 1): void {
    this.lateUrls.push({
      app, db: this.database(app, attachment), reads, url,
    })
  }

  async start(): Promise<void> {
    if (this.server) return
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        send(res, {body: {id: 'internal_server_error', message: String(error)}, status: 500})
      })
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    server.on('connection', () => {
      this.connections++
    })
    // Keep-alive sockets would hold stop() open until they time out.
    server.keepAliveTimeout = 100
    this.server = server
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  async stop(): Promise<void> {
    const {server} = this
    if (!server) return
    this.server = undefined
    server.closeAllConnections()
    await new Promise<void>(resolve => {
      server.close(() => resolve())
    })
  }

  /** The Data API (api.data.heroku.com) call DatabaseResolver makes for `private` plans. */
  private bastion(addonId: string): Reply {
    for (const state of this.apps.values()) {
      const addon = state.addons.find(a => a.id === addonId || a.name === addonId)
      if (addon && addon.plan.name.split(':')[1]?.startsWith('private')) {
        return {
          body: {
            host: 'bastion.example.invalid',
            private_key: '-----BEGIN RSA PRIVATE KEY-----\nnot-a-real-key\n-----END RSA PRIVATE KEY-----\n',
          },
          status: 200,
        }
      }
    }

    return notFound("Couldn't find that database.")
  }

  private configVarsRead(app: string): void {
    for (const late of this.lateUrls.filter(l => l.app === app)) {
      late.reads--
      if (late.reads <= 0) late.db.url = late.url
    }

    this.lateUrls = this.lateUrls.filter(l => l.reads > 0)
  }

  private database(app: string, attachment: string): FakeDatabase {
    const state = this.apps.get(app)
    const db = state?.app.databases.find(d => d.attachment === attachment || d.aliases?.includes(attachment))
    if (!db) throw new Error(`stand-in has no attachment ${attachment} on ${app}`)
    return db
  }

  private findApp(identity: string): AppState | undefined {
    return this.apps.get(identity) ?? [...this.apps.values()].find(s => s.ref.id === identity)
  }

  /** Same add-on name for the same app and attachment, so repeated setApp calls stay stable. */
  private generatedAddonName(app: string, attachment: string): string {
    const key = `${app}/${attachment}`
    let name = this.addonNames.get(key)
    if (!name) {
      name = `postgresql-${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${randomInt(10_000, 99_999)}`
      this.addonNames.set(key, name)
    }

    return name
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req)
    let body: unknown = raw
    if (raw !== '') {
      try {
        body = JSON.parse(raw)
      } catch {
        // recorded as the raw text; endpoints below reject it
      }
    }

    const path = req.url ?? '/'
    this.requests.push({
      at: Date.now(), body, headers: {...req.headers}, method: req.method ?? 'GET', path,
    })

    const auth = req.headers.authorization
    if (auth !== `Bearer ${this.token}`) {
      send(res, failure(401))
      return
    }

    if (this.delayMs > 0) await new Promise(resolve => {
      setTimeout(resolve, this.delayMs)
    })
    const at = this.failures.findIndex(f => f.path === undefined || f.path === new URL(path, 'http://x').pathname)
    const injected = at === -1 ? undefined : this.failures.splice(at, 1)[0]
    if (injected !== undefined) {
      const reply = failure(injected.status)
      send(res, {...reply, headers: {...reply.headers, ...injected.headers}})
      return
    }

    send(res, this.route(req.method ?? 'GET', new URL(path, 'http://x').pathname, body, req))
  }

  private resolveAddon(body: unknown): Reply {
    const {app, identifier} = resolveParams(body, 'addon')
    if (identifier === undefined) return {body: {id: 'invalid_params', message: 'addon is required.'}, status: 422}
    const matches: Json[] = []
    for (const state of this.apps.values()) {
      for (const addon of state.addons) {
        const attachedHere = app === undefined || state.app.name === app || state.ref.id === app
        const named = addon.name === identifier || addon.id === identifier
          || (attachedHere && state.attachments.some(a => a.addon === addon && a.name === identifier))
        if (named && attachedHere) matches.push(addonJson(addon, state))
      }
    }

    if (app !== undefined && !this.findApp(app)) return appNotFound()
    if (matches.length === 0) return notFound("Couldn't find that add on.", 'add_on')
    return {body: matches, status: 200}
  }

  private resolveAttachment(body: unknown, req: IncomingMessage): Reply {
    const {app, identifier} = resolveParams(body, 'addon_attachment')
    if (identifier === undefined) return {body: {id: 'invalid_params', message: 'addon_attachment is required.'}, status: 422}
    let scope = [...this.apps.values()]
    if (app) {
      const state = this.findApp(app)
      if (!state) return appNotFound()
      scope = [state]
    }

    const matches: Json[] = []
    for (const state of scope) {
      for (const a of state.attachments) {
        // Attachment names only mean something within an app; ids and add-on names are global.
        const byName = app !== undefined && (a.name === identifier || `${a.name}_URL` === identifier)
        if (byName || a.id === identifier || a.addon.name === identifier || a.addon.id === identifier) {
          matches.push(attachmentJson(a, state.app, inclusions(req)))
        }
      }
    }

    if (matches.length === 0) return notFound("Couldn't find that add on attachment.", 'add_on attachment')
    return {body: matches, status: 200}
  }

  private route(method: string, path: string, body: unknown, req: IncomingMessage): Reply {
    const parts = path.split('/').filter(Boolean).map(p => decodeURIComponent(p))
    if (method === 'GET' && parts[0] === 'apps' && parts.length >= 2) {
      const state = this.findApp(parts[1])
      if (!state) return appNotFound()
      const rest = parts.slice(2).join('/')
      if (rest === '') return {body: appJson(state), status: 200}
      if (rest === 'config-vars') {
        const body = configVars(state.app)
        this.configVarsRead(state.app.name)
        return {body, status: 200}
      }

      if (rest === 'addon-attachments') {
        return {body: state.attachments.map(a => attachmentJson(a, state.app, inclusions(req))), status: 200}
      }

      if (rest === 'addons') return {body: state.addons.map(a => addonJson(a, state)), status: 200}
    }

    if (method === 'POST' && path === '/actions/addon-attachments/resolve') return this.resolveAttachment(body, req)
    if (method === 'POST' && path === '/actions/addons/resolve') return this.resolveAddon(body)
    if (method === 'GET' && parts[0] === 'client' && parts[1] === 'v11' && parts[2] === 'databases' && parts[4] === 'bastion') {
      return this.bastion(parts[3])
    }

    return notFound('Not found.')
  }
}

function resolveParams(body: unknown, key: string): {app?: string; identifier?: string} {
  if (typeof body !== 'object' || body === null) return {}
  const record = body as Record<string, unknown>
  const identifier = typeof record[key] === 'string' ? record[key] : undefined
  const app = typeof record.app === 'string' && record.app !== '' ? record.app : undefined
  return {app, identifier}
}

function configVars(app: FakeApp): Record<string, string> {
  const vars: Record<string, string> = {...app.config}
  for (const db of app.databases) {
    for (const name of [db.attachment, ...(db.aliases ?? [])]) vars[`${name}_URL`] = db.url
  }

  return vars
}

function appJson(state: AppState): Json {
  const {name} = state.ref
  return {
    acm: false,
    archived_at: null,
    build_stack: {id: uuidFrom('stack:heroku-24'), name: 'heroku-24'},
    buildpack_provided_description: 'Node.js',
    created_at: state.createdAt,
    generation: 'cedar',
    git_url: `https://git.heroku.com/${name}.git`,
    id: state.ref.id,
    internal_routing: null,
    maintenance: false,
    name,
    organization: null,
    owner: {email: 'developer@example.com', id: uuidFrom('account:developer')},
    region: {id: uuidFrom('region:us'), name: 'us'},
    released_at: state.createdAt,
    repo_size: null,
    slug_size: null,
    space: null,
    stack: {id: uuidFrom('stack:heroku-24'), name: 'heroku-24'},
    team: null,
    updated_at: state.createdAt,
    web_url: `https://${name}-${state.ref.id.slice(0, 12)}.herokuapp.com/`,
  }
}

function attachmentJson(a: AttachmentState, app: FakeApp, include: Set<string>): Json {
  const addon: Record<string, unknown> = {app: a.addon.app, id: a.addon.id, name: a.addon.name}
  if (include.has('addon:plan')) addon.plan = a.addon.plan
  const json: Record<string, unknown> = {
    addon,
    app: a.app,
    created_at: a.createdAt,
    id: a.id,
    log_input_url: null,
    name: a.name,
    namespace: a.namespace,
    updated_at: a.createdAt,
    web_url: `https://addons-sso.heroku.com/apps/${a.app.id}/addons/${a.addon.id}`,
  }
  // The real API lists config vars only when asked to, and only those set on the app.
  if (include.has('config_vars')) {
    const vars = configVars(app)
    json.config_vars = [`${a.name}_URL`].filter(name => name in vars)
  }

  return json
}

function addonJson(addon: AddonState, state: AppState): Json {
  const vars = configVars(state.app)
  return {
    actions: [],
    addon_service: ADDON_SERVICE,
    app: addon.app,
    billed_price: {cents: 0, contract: false, unit: 'month'},
    billing_entity: {id: addon.app.id, name: addon.app.name, type: 'app'},
    config_vars: state.attachments.filter(a => a.addon === addon).map(a => `${a.name}_URL`).filter(name => name in vars),
    created_at: addon.createdAt,
    id: addon.id,
    name: addon.name,
    plan: addon.plan,
    provider_id: addon.id,
    provision_message: null,
    state: 'provisioned',
    updated_at: addon.createdAt,
    web_url: `https://addons-sso.heroku.com/apps/${addon.app.id}/addons/${addon.id}`,
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent) return
  const payload = JSON.stringify(reply.body)
  res.writeHead(reply.status, {
    'Content-Length': Buffer.byteLength(payload),
    'Content-Type': 'application/json',
    'RateLimit-Remaining': '4500',
    'Request-Id': uuidFrom(`request:${Date.now()}:${Math.random()}`),
    ...reply.headers,
  })
  res.end(payload)
}
