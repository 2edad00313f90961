import {expect} from 'chai'
import path from 'node:path'

import {appWithActions} from '../support/actions.js'
import {SAMPLE} from '../support/commands.js'
import {latencyProxy, type LatencyProxy} from '../support/latency-proxy.js'
import {ROOT, run, runScript} from '../support/run.js'
import {APP, getWorld, TOKEN} from '../support/world.js'

/**
 * Round trips counted, not timed (issue 13): the proxy counts the client's
 * flights to the database, the stand-in the Platform API calls and how many
 * were in flight at once. A change that adds a round trip fails here on any
 * machine, however noisy. Far from the database each one costs a user
 * 2 x the one-way delay: see bench/far.ts and the README's table.
 *
 * The floor, bench/support/bare.mjs: one config-vars call, then 7 flights:
 * SSLRequest, TLS ClientHello, TLS Finished with the startup packet, two
 * SCRAM messages, the statement, Terminate.
 */
const BARE = 7

const EXPECTED: Array<[string[], number, string]> = [
  [['actions:init'], BARE, 'one statement says the schema is current'],
  [['actions:list', '--limit', '10'], BARE, 'one statement, no cursor or transaction'],
  [['actions:list'], BARE + 1, 'BEGIN, DECLARE and FETCH together, then CLOSE with COMMIT'],
  [['actions:add', 'deploy', '/api/deploy'], BARE + 1, 'BEGIN with the INSERT, then COMMIT once its answer is in: a cut is never a mystery'],
  [['actions:done', '1'], BARE + 1, 'as add'],
  [['actions:update', '1', '--path', '/v2'], BARE + 1, 'as add'],
  [['actions:remove', '3', '--confirm', APP], BARE + 1, 'as add'],
  [['actions:sql', 'SELECT 1'], BARE + 1, 'as add'],
  [['actions:wait', '2'], BARE, 'LISTEN, the feed check and the rows together'],
  [['actions:info'], BARE + 3, 'three round trips timed for the latency it shows, then the summary'],
]

describe('round trips to the database and the Platform API, per command', function () {
  let proxy: LatencyProxy

  before(async function () {
    // a few ms each way: with none, a flight whose messages the client writes
    // in two chunks can be split by an early answer, and counted twice
    proxy = await latencyProxy(getWorld().pg.port, 5)
  })

  after(async function () {
    await proxy?.stop()
  })

  async function throughProxy(): Promise<void> {
    await appWithActions(SAMPLE)
    const url = new URL(getWorld().pg.url)
    url.port = String(proxy.port)
    getWorld().api.setDatabaseUrl(APP, 'DATABASE', url.toString())
    getWorld().api.requests = []
  }

  it(`the bare script, the floor: ${BARE} flights and one API call`, async function () {
    await throughProxy()
    const before = proxy.roundTrips()
    const result = await runScript(path.join(ROOT, 'bench/support/bare.mjs'), [APP, 'sql', 'SELECT 1'], {env: {HEROKU_API_KEY: TOKEN, HEROKU_HOST: getWorld().api.url}})
    expect(result.exitCode, result.stderr).to.equal(0)
    expect(proxy.roundTrips() - before).to.equal(BARE)
    expect(getWorld().api.requests).to.have.length(1)
  })

  for (const [argv, trips, why] of EXPECTED) {
    it(`${argv.join(' ')}: ${trips} flights (${why}), and its two API calls at once`, async function () {
      await throughProxy()
      const {api} = getWorld()
      api.delayMs = 50
      const before = proxy.roundTrips()
      const started = Date.now()
      const result = await run([...argv, '--app', APP])
      expect(result.exitCode, result.error?.message).to.equal(0)
      expect(proxy.roundTrips() - before).to.equal(trips)
      expect(api.requests.map(r => `${r.method} ${r.path}`).sort()).to.deep.equal(['GET /apps/example-app/config-vars', 'POST /actions/addon-attachments/resolve'])
      // both were asked before either was answered: one API round trip, not two
      expect(api.requests[1].at - api.requests[0].at).to.be.lessThan(50)
      expect(Date.now() - started).to.be.greaterThan(50)
    })
  }
})
