import {EventEmitter} from 'node:events'

import pg from 'pg'

import {reason} from './database.js'

/** The channel and log table that `heroku actions:init` (schema version 3) installs. */
export const CHANNEL = 'heroku_actions'

const SNAPSHOT = `SELECT coalesce(json_agg(json_build_object(
    'id', id::text, 'action', action, 'path', path, 'status', status, 'updated_at', updated_at) ORDER BY id), '[]') AS rows,
  to_regclass('heroku_actions_changes') IS NOT NULL AS feed
FROM actions`

// ids leave PostgreSQL as text: through a JavaScript number, ids above 2^53 would change
const CHANGE = `SELECT op, (SELECT json_agg(jsonb_set(r, '{id}', to_jsonb(r->>'id')) ORDER BY n)
  FROM jsonb_array_elements(rows) WITH ORDINALITY AS e(r, n)) AS rows
FROM heroku_actions_changes WHERE seq = $1`

const HEARTBEAT_MS = 30_000

/**
 * The actions table, kept current through one LISTEN connection, for any
 * number of viewers. Emits:
 * - 'snapshot' (rows): every row, at start, after each reconnect (so nothing
 *   committed while the connection was down is missed), and after a change
 *   too large to carry its rows (over 1,000) or a TRUNCATE;
 * - 'change' ({op, rows}): an insert, update or delete, with the rows as they
 *   now are (for a delete, as they were);
 * - 'status' ({live}): whether changes are arriving.
 *
 * Notifications arrive in commit order and every task on the connection runs
 * in turn, so replaying a change the snapshot already holds ends in the same
 * state: no sequence bookkeeping is needed.
 */
export class Feed extends EventEmitter {
  #attempt = 0
  #client
  #config
  #heartbeat
  #log
  /** the current connection's tasks, one at a time */
  #queue
  #retry
  #stopped = false
  live = false
  /** id (text) -> row, once the first snapshot is in */
  rows = new Map()
  ready = false

  constructor(config, log) {
    super()
    // The listening connection must notice a silently dropped link (NAT, failover): TCP keepalive, and a query timeout for the heartbeat.
    this.#config = {...config, keepAlive: true, keepAliveInitialDelayMillis: 10_000, query_timeout: 10_000}
    this.#log = log
  }

  start() {
    const client = new pg.Client(this.#config)
    this.#client = client
    this.#queue = Promise.resolve()
    client.on('error', error => this.#lost(client, error))
    client.on('end', () => this.#lost(client))
    client.on('notification', message => this.#enqueue(client, () => this.#change(client, message.payload)))
    this.#enqueue(client, async () => {
      await client.connect()
      await client.query(`LISTEN ${CHANNEL}`)
      await this.#snapshot(client)
      this.#attempt = 0
      this.#setLive(true)
      this.#log('database connected; listening for changes')
    })
    this.#heartbeat = setInterval(() => this.#enqueue(client, () => client.query('SELECT 1')), HEARTBEAT_MS)
  }

  async stop() {
    this.#stopped = true
    clearTimeout(this.#retry)
    clearInterval(this.#heartbeat)
    const client = this.#client
    this.#client = undefined
    await client?.end().catch(() => {})
  }

  /** Tasks on one connection run one at a time, in order; any failure ends that connection and schedules the next. */
  #enqueue(client, task) {
    this.#queue = this.#queue.then(() => (client === this.#client ? task() : undefined)).catch(error => this.#lost(client, error))
  }

  async #snapshot(client) {
    const {rows: [{feed, rows}]} = await client.query(SNAPSHOT)
    if (!feed) this.#log('no change feed in this database: run heroku actions:init to install it; until then pages show changes only on reload')
    this.rows = new Map(rows.map(row => [row.id, row]))
    this.ready = true
    this.emit('snapshot', rows)
  }

  async #change(client, payload) {
    // the payload is {"seq": N, "op": "...", "count": N}; seq taken as text, never through a number
    const seq = /"seq"\s*:\s*(\d+)/.exec(payload)?.[1]
    const {rows: [change]} = seq ? await client.query(CHANGE, [seq]) : {rows: []}
    // rows is NULL past 1,000 rows and for TRUNCATE; an unknown seq was pruned or not ours: read everything
    if (!change?.rows || change.op === 'truncate') return this.#snapshot(client)
    for (const row of change.rows) {
      if (change.op === 'delete') this.rows.delete(row.id)
      else this.rows.set(row.id, row)
    }

    this.emit('change', {op: change.op, rows: change.rows})
  }

  #lost(client, error) {
    if (client !== this.#client || this.#stopped) return
    this.#client = undefined
    clearInterval(this.#heartbeat)
    client.end().catch(() => {})
    this.#setLive(false)
    // bounded backoff with jitter: 0.25 s, 0.5 s, 1 s ... at most 5 s between attempts
    const delay = Math.round(Math.min(5000, 250 * 2 ** this.#attempt) * (0.75 + Math.random() / 4))
    this.#attempt++
    const why = error?.code === '42P01' ? 'the actions table or its change feed is missing: run heroku actions:init' : `database connection lost (${reason(error)})`
    this.#log(`${why}; reconnecting in ${delay} ms`)
    this.#retry = setTimeout(() => this.start(), delay)
  }

  #setLive(live) {
    if (this.live === live) return
    this.live = live
    this.emit('status', {live})
  }
}
