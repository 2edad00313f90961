import type {APIClient} from './heroku-cli.js'

import {sleep as wait} from '../timers.js'

export interface RetryPolicy {
  /** tries in all, the first one included */
  attempts: number
  baseDelayMs: number
  /** the longest single wait; a Retry-After asking for more is not waited for */
  maxDelayMs: number
  random?: () => number
  /** once aborted, a failed try is not tried again */
  signal?: AbortSignal
  sleep?: (ms: number) => Promise<void>
}

interface HttpFailure {
  /** HerokuAPIError.http is the HTTPError; HTTPError.http is the request with the response headers */
  http?: {headers?: Record<string, unknown>; http?: {headers?: Record<string, unknown>}; statusCode?: number}
  statusCode?: number
}

/**
 * Heroku answers 429 without Retry-After and refills the rate limit bucket
 * continuously, so a short exponential backoff is worth it: 0.5, 1, 2 s,
 * about 4 s in all. HEROKU_ACTIONS_RETRY_DELAY_MS changes the base (tests use
 * a few milliseconds).
 */
export function defaultRetryPolicy(): RetryPolicy {
  const base = Number(process.env.HEROKU_ACTIONS_RETRY_DELAY_MS)
  return {attempts: 4, baseDelayMs: Number.isFinite(base) && base >= 0 ? base : 500, maxDelayMs: 8000}
}

export function failureStatus(error: unknown): number | undefined {
  const e = (error ?? {}) as HttpFailure
  return e.http?.statusCode ?? e.statusCode
}

/** Rate limited, or the API (or a proxy in front of it) failed: worth another try. */
export function isRetryable(error: unknown): boolean {
  const status = failureStatus(error)
  return status === 429 || (status !== undefined && status >= 500 && status <= 599)
}

function retryAfterHeader(error: unknown): string | undefined {
  const e = (error ?? {}) as HttpFailure
  const value = e.http?.http?.headers?.['retry-after'] ?? e.http?.headers?.['retry-after']
  return typeof value === 'string' ? value : undefined
}

/** Retry-After as delta-seconds or an HTTP date, in ms from `now`. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * How long to wait after failed try number `attempt` (from 1), or undefined
 * to give up: out of tries, or the server asks for a longer wait than we are
 * willing to make the user sit through.
 */
export function retryDelay(attempt: number, retryAfter: string | undefined, policy: RetryPolicy): number | undefined {
  if (attempt >= policy.attempts) return undefined
  const asked = parseRetryAfter(retryAfter)
  if (asked !== undefined) return asked <= policy.maxDelayMs ? asked : undefined
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * (2 ** (attempt - 1)))
  // jitter, so that many clients limited at once do not come back in step
  return Math.round(exponential * (1 + (0.2 * (policy.random ?? Math.random)())))
}

export async function retrying<T>(fn: () => Promise<T>, policy: RetryPolicy = defaultRetryPolicy()): Promise<T> {
  const {signal} = policy
  const sleep = policy.sleep ?? (async (ms: number) => wait(ms, signal))
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (error) {
      const delay = isRetryable(error) ? retryDelay(attempt, retryAfterHeader(error), policy) : undefined
      if (delay === undefined || signal?.aborted) throw error
      await sleep(delay)
      if (signal?.aborted) throw error
    }
  }
}

const READS = new Set(['get', 'post', 'request'])

/**
 * The same client, with 429 and 5xx answers retried. Only for the read-only
 * calls of database resolution: its one POST (/actions/.../resolve) changes
 * nothing, so repeating it is safe.
 */
export function withRetries(heroku: APIClient, policy: RetryPolicy = defaultRetryPolicy()): APIClient {
  return new Proxy(heroku, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver)
      if (typeof property !== 'string' || !READS.has(property) || typeof value !== 'function') return value
      return async (...args: unknown[]) => retrying(async () => Reflect.apply(value, target, args) as Promise<unknown>, policy)
    },
  })
}
