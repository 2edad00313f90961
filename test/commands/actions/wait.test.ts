import {expect} from 'chai'

import {appWithActions} from '../../support/actions.js'
import {
  otherClient, pluginBackends, startFollowing, terminatePlugin,
} from '../../support/feed.js'
import {run, type RunningBin} from '../../support/run.js'
import {APP, getWorld} from '../../support/world.js'

const APP_FLAGS = ['--app', APP]

describe('actions:wait and actions:add --wait', function () {
  this.timeout(60_000)
  let waiting: RunningBin | undefined

  beforeEach(async function () {
    // 1 pending, 2 done, 3 pending
    await appWithActions([['deploy', '/api/deploy', false], ['backup', '/api/backup', true], ['restore', '/api/restore', false]])
  })

  afterEach(async function () {
    waiting?.child.kill('SIGKILL')
    waiting = undefined
  })

  async function markDone(id: number): Promise<number> {
    const client = await otherClient()
    try {
      await client.query('UPDATE actions SET status = true, updated_at = now() WHERE id = $1', [id])
      return Date.now()
    } finally {
      await client.end()
    }
  }

  it('returns once another client marks the last action done, and prints the rows as they are then', async function () {
    waiting = await startFollowing(['actions:wait', '1', '3', ...APP_FLAGS, '--json'], /^Waiting for actions 1, 3 on DATABASE on example-app/m)
    await markDone(1)
    await new Promise(resolve => {
      setTimeout(resolve, 300)
    })
    expect(waiting.child.exitCode, 'still waiting for 3').to.equal(null)
    const committed = await markDone(3)
    const {exitCode, stdout} = await waiting.done
    const took = Date.now() - committed
    expect(exitCode).to.equal(0)
    expect((JSON.parse(stdout) as Array<{id: number; status: boolean}>).map(r => [r.id, r.status])).to.deep.equal([[1, true], [3, true]])
    // the promise is 1 s from the commit; this bound only catches polling-sized delays on a busy machine
    expect(took).to.be.lessThan(3000)
  })

  it('exits 0 at once when every action is done already, without waiting', async function () {
    const {exitCode, stderr, stdout} = await run(['actions:wait', '2', ...APP_FLAGS])
    expect(exitCode).to.equal(0)
    expect(stderr).not.to.include('Waiting')
    expect(stdout).to.include('backup')
  })

  it('times out with exit 1, naming the ids still pending, and leaves them as they are', async function () {
    const {error, exitCode} = await run(['actions:wait', '1', '2', '3', ...APP_FLAGS, '--timeout', '500ms'])
    expect(exitCode).to.equal(1)
    expect(error?.message).to.equal('timed out after 500ms: actions 1, 3 still pending, left as they are (wait longer with --timeout)')
    expect((await getWorld().pg.query('SELECT id::int, status FROM actions ORDER BY id')).map(r => r.status)).to.deep.equal([false, true, false])
  })

  it('refuses an action that does not exist, naming it', async function () {
    const {error, exitCode} = await run(['actions:wait', '1', '99', ...APP_FLAGS])
    expect(exitCode).to.equal(1)
    expect(error?.message).to.equal('no action 99 on DATABASE on example-app (see heroku actions:list)')
  })

  it('exits 1 when an action is removed while it waits, naming it', async function () {
    waiting = await startFollowing(['actions:wait', '1', '3', ...APP_FLAGS], /^Waiting/m)
    await getWorld().pg.query('DELETE FROM actions WHERE id = 3')
    const {exitCode, stderr} = await waiting.done
    expect(exitCode).to.equal(1)
    expect(stderr).to.include('Error: action 3 was removed while waiting')
  })

  it('refuses a duration without a unit', async function () {
    const {error, exitCode} = await run(['actions:wait', '1', ...APP_FLAGS, '--timeout', '30'])
    expect(exitCode).to.equal(2)
    expect(error?.message).to.include('--timeout 30 is not a duration: give a unit, e.g. 30s, 10m or 1h')
  })

  it('keeps waiting through a dropped connection, and sees a change made while it was away', async function () {
    waiting = await startFollowing(['actions:wait', '1', ...APP_FLAGS], /^Waiting/m)
    expect(await terminatePlugin()).to.equal(1)
    await markDone(1)
    const {exitCode, stderr} = await waiting.done
    expect(exitCode, stderr).to.equal(0)
    expect(stderr).to.match(/Reconnected/)
  })

  it('ends with exit 130 on Ctrl-C, changing nothing', async function () {
    waiting = await startFollowing(['actions:wait', '1', ...APP_FLAGS], /^Waiting/m)
    waiting.child.kill('SIGINT')
    const {exitCode, stderr} = await waiting.done
    expect(exitCode).to.equal(130)
    expect(stderr).to.include('interrupted (SIGINT): stopped waiting for action 1; nothing was changed')
  })

  it('add --wait adds the action, holds one connection, and returns when another client marks it done', async function () {
    waiting = await startFollowing(['actions:add', 'ship', '/api/ship', ...APP_FLAGS, '--wait', '--timeout', '30s', '--json'], /^Waiting for action 4/m)
    expect(await pluginBackends()).to.have.length(1)
    const [{id}] = await getWorld().pg.query<{id: number}>("SELECT id::int FROM actions WHERE action = 'ship'")
    expect(id).to.equal(4)
    await markDone(4)
    const {exitCode, stderr, stdout} = await waiting.done
    expect(exitCode, stderr).to.equal(0)
    expect(stderr).to.include('Added action 4.')
    const [row] = JSON.parse(stdout) as Array<{action: string; status: boolean}>
    expect(row).to.include({action: 'ship', status: true})
  })

  it('add --wait times out with exit 1 and leaves the action added and pending', async function () {
    const {error, exitCode} = await run(['actions:add', 'ship', '/api/ship', ...APP_FLAGS, '--wait', '--timeout', '300ms'])
    expect(exitCode).to.equal(1)
    expect(error?.message).to.include('timed out after 300ms: action 4 still pending')
    expect(await getWorld().pg.query("SELECT status FROM actions WHERE action = 'ship'")).to.deep.equal([{status: false}])
  })
})
