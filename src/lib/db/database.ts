import type pg from 'pg'

import {sendCancelRequest} from './cancel-request.js'
import {ConnectionLost} from './connection-lost.js'
import {parseConnectionUrl} from './connection-url.js'
import {
  commitRefused, connectError, isConnectionLost, isStatementError, serverRefusedSsl, wasNeverSent,
} from './pg-errors.js'
import {sslMode, tlsOptions} from './ssl-policy.js'

export interface ConnectOptions {
  applicationName?: string
  /** send queued queries without waiting for each answer (a script's statements: one round trip, not one each) */
  pipeline?: boolean
  /** overrides PGSSLMODE */
  sslMode?: string
  timeoutMs?: number
}

export interface QueryResult<R> {
  command: string
  fields: string[]
  rowCount: number
  rows: R[]
}

export type Row = Record<string, unknown>

export const APPLICATION_NAME = 'heroku-actions'

let driver: Promise<typeof pg> | undefined

/**
 * pg, read on first use rather than when a command module loads: a command
 * asks the Platform API for the URL first and reads pg (tens of ms) while
 * the answer is on its way (base-command.ts openDatabase).
 */
export async function loadDriver(): Promise<typeof pg> {
  driver ??= import('pg').then(module => module.default)
  return driver
}

function defaultTimeoutMs(): number {
  const seconds = Number(process.env.PGCONNECT_TIMEOUT)
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 10_000
}

/**
 * One connection to PostgreSQL. The only module (with its siblings in
 * lib/db) that knows `pg`.
 */
export class Database {
  readonly encrypted: boolean
  readonly host: string
  readonly port: number
  /** a transaction's BEGIN is out and its answer not yet in: that tag is the transaction's, not a statement's */
  private beginUnanswered = false
  /**
   * The server's last word before it closed the session: on a crash of
   * another backend it sends 57P02 as a WARNING, not an ERROR, and hangs up.
   */
  private parting: string | undefined
  private readonly tagListeners = new Set<(tag: string) => void>()

  private constructor(private readonly client: pg.Client, target: {host: string; port: number}, encrypted: boolean) {
    this.host = target.host
    this.port = target.port
    this.encrypted = encrypted
    client.on('notice', notice => {
      if (notice.code?.startsWith('57P0')) this.parting = notice.message
    })
    client.connection.on('commandComplete', (message: {text?: string}) => {
      if (this.beginUnanswered && message.text === 'BEGIN') {
        this.beginUnanswered = false
        return
      }

      for (const listener of this.tagListeners) listener(message.text ?? '')
    })
  }

  static async connect(url: string, options: ConnectOptions = {}): Promise<Database> {
    const target = parseConnectionUrl(url)
    const mode = sslMode(target.host, options.sslMode)
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs()
    const pg = await loadDriver()
    const open = async (ssl: ReturnType<typeof tlsOptions>) => {
      const client = new pg.Client({
        application_name: options.applicationName ?? APPLICATION_NAME,
        connectionTimeoutMillis: timeoutMs,
        database: target.database,
        host: target.host,
        // timestamps print in UTC and ISO form, whatever the server's defaults:
        // exports and --json read the same everywhere (see jsonTime)
        options: '-c TimeZone=UTC -c DateStyle=ISO,MDY',
        password: target.password,
        pipeline: options.pipeline,
        port: target.port,
        ssl,
        user: target.user,
      })
      // an error event after connect (server gone) must not crash the process;
      // the next query reports it
      client.on('error', () => {})
      await client.connect()
      return new Database(client, target, ssl !== false)
    }

    try {
      try {
        return await open(tlsOptions(mode, target.host))
      } catch (error) {
        // libpq's `prefer`, for loopback only (see ssl-policy.ts)
        if (mode === 'prefer' && serverRefusedSsl(error)) return await open(false)
        throw error
      }
    } catch (error) {
      throw connectError(error, {host: target.host, port: target.port, timeoutMs})
    }
  }

  /** For COPY streams and the like, within lib/db only. */
  get pgClient(): pg.Client {
    return this.client
  }

  /**
   * Ask the server to cancel the statement running on this connection (the
   * protocol's CancelRequest, as psql sends on Ctrl-C): a new connection,
   * no authentication needed, only the key the server gave this session.
   * The statement then fails with 57014. Best effort: never throws.
   */
  async cancel(): Promise<void> {
    const {processID, secretKey} = this.client as unknown as {processID: null | number; secretKey: null | number}
    if (processID === null || secretKey === null) return
    await sendCancelRequest(this.host, this.port, processID, secretKey)
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => {})
  }

  /**
   * Fetch a query's rows in batches through a server-side cursor; call inside
   * a transaction. On a pipelined connection DECLARE leaves with the first
   * FETCH, and CLOSE with whatever ends the transaction: a result of one
   * batch costs one round trip.
   *
   * Kept instead of pg-cursor 2.22.0 (issue 12; bench/libraries.ts, numbers
   * in bench/results.md): pg 8.23 refuses pg-cursor on a pipelined
   * connection ("not supported in pipeline mode": its portal stays open across
   * round trips), and unpipelined it costs more flights. In a transaction
   * through a proxy adding 20 ms each way, medians of 7 at load 9: 100 rows,
   * 2 round trips and 118 ms here, 5 and 287 ms with pg-cursor (0.41x);
   * 10,000 rows in batches of 1,000, 12 and 867 ms here, 15 and 1,036 ms
   * (0.84x). Straight to the server (medians of 9, load 7): 100 rows 8.8 ms
   * here, 8.2 ms (1.07x); 10,000 rows 84 ms, 106 ms (0.79x).
   */
  async * cursor<R = Row>(sql: string, params: unknown[] = [], batchSize = 1000): AsyncGenerator<R[]> {
    const declared = this.client.query(`DECLARE heroku_actions_cursor NO SCROLL CURSOR FOR ${sql}`, params)
    declared.catch(() => {})
    try {
      let more = true
      while (more) {
        const [, {rows}] = await Promise.all([declared, this.client.query(`FETCH ${batchSize} FROM heroku_actions_cursor`)])
        more = rows.length === batchSize
        if (rows.length > 0) yield rows as R[]
      }
    } finally {
      this.client.query('CLOSE heroku_actions_cursor').catch(() => {})
    }
  }

  /**
   * LISTEN on `channel`: `onPayload` gets each notification's payload, in
   * the order the notifying transactions committed.
   */
  async listen(channel: string, onPayload: (payload: string) => void): Promise<void> {
    this.client.on('notification', message => {
      if (message.channel === channel) onPayload(message.payload ?? '')
    })
    await this.client.query(`LISTEN ${(await loadDriver()).escapeIdentifier(channel)}`)
  }

  /**
   * Call `listener` with each statement's command tag in full, in order
   * ("INSERT 0 3", "CREATE TABLE": pg's result keeps only the first word),
   * until the function returned is called. The BEGIN of `transaction`,
   * which may answer after the first statements went out, is not among them.
   */
  onCommandTag(listener: (tag: string) => void): () => void {
    this.tagListeners.add(listener)
    return () => this.tagListeners.delete(listener)
  }

  /**
   * `handler` is called once when the connection breaks or the server ends
   * it (a restart, pg_terminate_backend, a failover) while nothing is being
   * asked of it: a LISTEN connection learns it is gone only this way.
   */
  onLost(handler: (error: Error) => void): void {
    let called = false
    const once = (error: Error) => {
      if (called) return
      called = true
      handler(error)
    }

    this.client.on('error', once)
    this.client.on('end', () => once(new Error('the server closed the connection')))
  }

  async query<R = Row>(sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    const result = await this.client.query(sql, params)
    return {
      command: result.command,
      fields: result.fields.map(field => field.name),
      rowCount: result.rowCount ?? 0,
      rows: result.rows as R[],
    }
  }

  /**
   * Run `fn` in a transaction: committed when it resolves (rolled back
   * instead with `rollback`, for dry runs), rolled back when it throws.
   * When the connection breaks, the error says what became of the change
   * (ConnectionLost); `check` tells the user how to find out when nobody
   * can know.
   */
  async transaction<T>(fn: () => Promise<T>, options: {check?: string; rollback?: boolean} = {}): Promise<T> {
    const check = options.check ?? 'check the data before running it again'
    let result: T
    // not awaited on its own: on a pipelined connection BEGIN leaves with the
    // first statement, one round trip for both; COMMIT still waits for their
    // answers, so a cut before it is known to have changed nothing
    this.beginUnanswered = true
    const begun = this.client.query('BEGIN')
    // refused or never sent: no answer will come to claim
    begun.catch(() => {
      this.beginUnanswered = false
    })
    try {
      result = await fn()
      await begun
      if (options.rollback) {
        await this.client.query('ROLLBACK')
        return result
      }
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => {})
      throw isConnectionLost(error) ? new ConnectionLost('rolled-back', check, error, this.parting) : error
    }

    try {
      await this.client.query('COMMIT')
    } catch (error) {
      // an ERROR answer to COMMIT (a deferred constraint, a serialization
      // failure) means the server rolled back; anything else left no answer
      if (isStatementError(error) && error.severity === 'ERROR') throw commitRefused(error)
      throw new ConnectionLost(wasNeverSent(error) ? 'rolled-back' : 'unknown', check, error, this.parting)
    }

    return result
  }
}
