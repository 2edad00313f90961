import type {ConnectionOptions} from 'node:tls'

import {readFileSync} from 'node:fs'

import {UserError} from '../errors.js'

/**
 * require:     encrypted, certificate not checked (libpq's `require`; Heroku's
 *              default certificates do not verify against public CAs).
 * verify-full: encrypted, certificate and host name checked.
 * prefer:      loopback only: SSL when the server offers it, else plaintext.
 * disable:     loopback only, when asked for with PGSSLMODE=disable.
 */
export type SslMode = 'disable' | 'prefer' | 'require' | 'verify-full'

export function isLoopback(host: string): boolean {
  const bare = host.replaceAll(/^\[|\]$/g, '')
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare)
}

/**
 * The mode comes from PGSSLMODE (or --sslmode), never from the URL: in `pg`
 * an `sslmode` in the connection string replaces the `ssl` option, which is
 * how `?sslmode=require` ends in `self-signed certificate` errors.
 * A non-loopback host is never reached without TLS, whatever was asked.
 */
export function sslMode(host: string, requested: string | undefined = process.env.PGSSLMODE): SslMode {
  const mode = (requested ?? '').toLowerCase()
  if (mode === 'verify-full' || mode === 'verify-ca') return 'verify-full'
  if (!isLoopback(host)) return 'require'
  if (mode === 'disable') return 'disable'
  if (mode === 'require' || mode === 'no-verify') return 'require'
  return 'prefer'
}

/** The `ssl` option for `pg`; `false` means plaintext. */
export function tlsOptions(mode: SslMode, host: string): ConnectionOptions | false {
  switch (mode) {
  case 'disable': {
    return false
  }

  case 'verify-full': {
    return {ca: rootCertificate(), rejectUnauthorized: true, servername: isIp(host) ? undefined : host}
  }

  default: {
    return {rejectUnauthorized: false}
  }
  }
}

function rootCertificate(): string | undefined {
  const file = process.env.PGSSLROOTCERT
  if (!file || file === 'system') return undefined
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw new UserError(`cannot read PGSSLROOTCERT ${file}: ${(error as Error).message}`)
  }
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':')
}
