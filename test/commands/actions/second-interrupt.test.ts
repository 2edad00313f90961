import {expect} from 'chai'

import {appWithActions} from '../../support/actions.js'
import {FaultProxy} from '../../support/fault-proxy.js'
import {
  eventually, RunResult, startBin, unwrap,
} from '../../support/run.js'
import {APP, getWorld} from '../../support/world.js'

const CANCEL_DELAY_MS = 60_000

describe('a second Ctrl-C', function () {
  this.timeout(90_000)
  let proxy: FaultProxy

  beforeEach(async function () {
    await appWithActions([])
    const {pg} = getWorld()
    proxy = await FaultProxy.start({host: pg.host, port: pg.port})
    getWorld().api.setDatabaseUrl(APP, 'DATABASE', proxy.url(pg.url))
  })

  afterEach(async function () {
    await proxy?.stop()
  })

  it('exits at once with 130 while the first is still cancelling on the server', async function () {
    const {pg} = getWorld()
    const marker = `sleep_${Date.now()}`
    const running = startBin(['actions:sql', `SELECT pg_sleep(60) AS ${marker}`, '--app', APP], {input: ''})
    await eventually(
      async () => ((await pg.query("SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1", [`%${marker}%`])).length > 0 || undefined),
      30_000,
      'the statement to be running',
    )
    // the cancel request of the first Ctrl-C opens a new connection: hold it up for a minute
    await proxy.setFault({kind: 'delay', ms: CANCEL_DELAY_MS})
    const connections = proxy.connections.length
    running.child.kill('SIGINT')
    await eventually(() => (proxy.connections.length > connections || undefined), 15_000, 'the cancel request of the first Ctrl-C')
    running.child.kill('SIGINT')
    // ended by the second signal, long before the held-up cancel could have ended it
    const ended = await Promise.race([running.done, new Promise<undefined>(resolve => {
      setTimeout(resolve, CANCEL_DELAY_MS / 2, undefined)
    })])
    expect(ended, 'still running after the second Ctrl-C').to.not.equal(undefined)
    const {exitCode, stderr} = ended as RunResult
    expect(exitCode).to.equal(130)
    expect(unwrap(stderr)).to.not.include('was cancelled on the server')
    await pg.query('SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()', [`%${marker}%`])
  })
})
