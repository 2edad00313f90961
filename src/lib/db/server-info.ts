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

const ROUND_TRIPS = 5

async function latency(db: Database): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const started = performance.now()
    await db.query('SELECT 1') // eslint-disable-line no-await-in-loop
    times.push(performance.now() - started)
  }

  times.sort((a, b) => a - b)
  return Math.round(times[Math.floor(ROUND_TRIPS / 2)] * 100) / 100
}

/** What the server says about itself and about this connection's TLS (pg_stat_ssl). */
export async function serverInfo(db: Database): Promise<ServerInfo> {
  const {rows: [row]} = await db.query<{bits: null | number; cipher: null | string; protocol: null | string; ssl: boolean; version: string}>(
    `SELECT version() AS version, s.ssl, s.version AS protocol, s.cipher, s.bits
     FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()`,
  )
  const encryption = row.ssl ? {bits: row.bits, cipher: row.cipher ?? '', protocol: row.protocol ?? ''} : null
  return {encryption, latencyMs: await latency(db), version: row.version}
}
