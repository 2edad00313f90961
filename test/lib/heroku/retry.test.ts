import {expect} from 'chai'

import type {APIClient} from '../../../src/lib/heroku/heroku-cli.js'

import {
  parseRetryAfter, retryDelay, retrying, RetryPolicy, withRetries,
} from '../../../src/lib/heroku/retry.js'

const policy: RetryPolicy = {
  attempts: 4, baseDelayMs: 500, maxDelayMs: 8000, random: () => 0,
}

function httpError(status: number, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`HTTP ${status}`), {http: {http: {headers}, statusCode: status}})
}

describe('retrying the Platform API', function () {
  it('backs off exponentially, up to the number of tries', function () {
    expect([1, 2, 3, 4].map(attempt => retryDelay(attempt, undefined, policy))).to.deep.equal([500, 1000, 2000, undefined])
  })

  it('adds up to 20% jitter', function () {
    expect(retryDelay(2, undefined, {...policy, random: () => 1})).to.equal(1200)
  })

  it('honours Retry-After in seconds or as a date, and gives up when it asks for too long', function () {
    expect(retryDelay(1, '2', policy)).to.equal(2000)
    expect(retryDelay(1, '0', policy)).to.equal(0)
    expect(retryDelay(1, '60', policy)).to.equal(undefined)
    const now = Date.parse('2024-05-01T10:00:00Z')
    expect(parseRetryAfter('Wed, 01 May 2024 10:00:03 GMT', now)).to.equal(3000)
    expect(parseRetryAfter('Wed, 01 May 2024 09:00:00 GMT', now)).to.equal(0)
    expect(parseRetryAfter('soon', now)).to.equal(undefined)
  })

  it('retries 429 and 5xx, waiting as told, and not 404 or network errors', async function () {
    const waits: number[] = []
    const sleep = async (ms: number) => {
      waits.push(ms)
    }

    const answers = [httpError(429, {'retry-after': '1'}), httpError(502), 'ok']
    const result = await retrying(async () => {
      const next = answers.shift()
      if (next instanceof Error) throw next
      return next
    }, {...policy, sleep})
    expect(result).to.equal('ok')
    expect(waits).to.deep.equal([1000, 1000])

    for (const error of [httpError(404), Object.assign(new Error('refused'), {code: 'ECONNREFUSED'})]) {
      let calls = 0
      const thrown = await retrying(async () => {
        calls++
        throw error
      }, {...policy, sleep}).catch((error_: unknown) => error_)
      expect(thrown).to.equal(error)
      expect(calls).to.equal(1)
    }
  })

  it('stops retrying once its signal is aborted, also in the middle of a wait', async function () {
    const stop = new AbortController()
    let calls = 0
    const started = Date.now()
    const failing = retrying(async () => {
      calls++
      throw httpError(503)
    }, {
      ...policy, baseDelayMs: 60_000, maxDelayMs: 60_000, signal: stop.signal,
    })
    setTimeout(() => stop.abort(), 20)
    const thrown = await failing.catch((error: unknown) => error)
    expect((thrown as Error).message).to.equal('HTTP 503')
    expect(calls).to.equal(1)
    expect(Date.now() - started).to.be.lessThan(30_000)
  })

  it('wraps only the reading methods of the client, keeping `this`', async function () {
    let gets = 0
    const client = {
      get(this: {name: string}, path: string) {
        gets++
        if (gets === 1) return Promise.reject(httpError(503))
        return Promise.resolve(`${this.name} ${path}`)
      },
      name: 'client',
    }
    const api = withRetries(client as unknown as APIClient, {...policy, async sleep() {}})
    expect(await api.get('/apps')).to.equal('client /apps')
    expect(gets).to.equal(2)
    expect((api as unknown as {name: string}).name).to.equal('client')
  })
})
