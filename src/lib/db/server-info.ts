import {performance} from 'node:perf_hooks'

import type {Database} from './database.js'

export interface Encryption {
  bits: null | number
  cipher: string
  /** TLSv1.3 and the like */
  protocol: string
}

export interface ServerInfo {
  /** null: the connection is not encrypted (loopback only) */
  encryption: Encryption | null
  /** median of a few `SELECT 1` round trips */
  latencyMs: number
  /** SELECT version() */
  version: string
}

/**
 * What the server says about itself and about this connection's TLS
 * (pg_stat_ssl); latency is the median of three round trips, that query's
 * among them, so that info costs a user far away little more than it shows.
 */
export async function serverInfo(db: Database): Promise<ServerInfo> {
  const times: number[] = []
  const timed = async <T>(fn: () => Promise<T>): Promise<T> => {
    const started = performance.now()
    const result = await fn()
    times.push(performance.now() - started)
    return result
  }

  const {rows: [row]} = await timed(() => db.query<{bits: null | number; cipher: null | string; protocol: null | string; ssl: boolean; version: string}>(`SELECT version() AS version, s.ssl, s.version AS protocol, s.cipher, s.bits
     FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()`))
  await timed(() => db.query('SELECT 1'))
  await timed(() => db.query('SELECT 1'))
  times.sort((a, b) => a - b)
  const encryption = row.ssl ? {bits: row.bits, cipher: row.cipher ?? '', protocol: row.protocol ?? ''} : null
  return {encryption, latencyMs: Math.round(times[1] * 100) / 100, version: row.version}
}
