import {expect} from 'chai'

import {appWithActions} from '../../support/actions.js'
import {
  ndjson, otherClient, pluginBackends, startFollowing, terminatePlugin,
} from '../../support/feed.js'
import {
  eventually, run, runBinInto, type RunningBin, startBin,
} from '../../support/run.js'
import {local} from '../../support/targets.js'
import {APP, getWorld} from '../../support/world.js'

const WATCH = ['actions:watch', '--app', APP]

describe('actions:watch', function () {
  this.timeout(60_000)
  let watching: RunningBin | undefined

  beforeEach(async function () {
    await appWithActions([['deploy', '/api/deploy', false]])
  })

  afterEach(async function () {
    watching?.child.kill('SIGKILL')
    watching = undefined
  })

  async function lines(count: number, running: RunningBin): Promise<Array<Record<string, unknown>>> {
    return eventually(() => {
      const objects = ndjson(running.output().split('\n').filter(l => l.startsWith('{')).join('\n'))
      return objects.length >= count ? objects : undefined
    }, 20_000, `${count} changes: ${running.output()}`)
  }

  it('prints each change another client commits, as NDJSON, and ends with exit 0 on Ctrl-C', async function () {
    watching = await startFollowing([...WATCH, '--json'], /^Watching/m)
    const client = await otherClient()
    try {
      await client.query("INSERT INTO actions (action, path) VALUES ('build', '/api/build')")
      await client.query("UPDATE actions SET status = true, updated_at = now() WHERE action = 'deploy'")
      await client.query("DELETE FROM actions WHERE action = 'build'")
    } finally {
      await client.end()
    }

    const changes = await lines(3, watching)
    expect(changes.map(c => [c.op, c.action, c.path, c.status])).to.deep.equal([
      ['insert', 'build', '/api/build', false], ['update', 'deploy', '/api/deploy', true], ['delete', 'build', '/api/build', false],
    ])
    expect(changes[0].id).to.equal(changes[2].id)
    expect(changes[1].updated_at).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/)
    watching.child.kill('SIGINT')
    const {exitCode, stdout} = await watching.done
    expect(exitCode).to.equal(0)
    expect(ndjson(stdout)).to.have.length(3)
  })

  it('prints a readable line per change, with terminal controls made visible', async function () {
    watching = await startFollowing(WATCH, /^Watching/m)
    await run(['actions:add', 'ship\u001B]0;owned\u0007', '/api/ship', '--app', APP])
    await run(['actions:done', '1', '--app', APP])
    const output = await eventually(() => (/update #1/.test(watching!.output()) ? watching!.output() : undefined), 20_000, 'two lines')
    expect(output).to.include('insert #2 ship\\x1B]0;owned\\x07 /api/ship (pending)\n')
    expect(output).to.include('update #1 deploy /api/deploy (done)\n')
    expect(output).not.to.include('\u001B')
  })

  it('prints a statement of more than 1,000 rows as one line with its count and ids, and TRUNCATE', async function () {
    watching = await startFollowing([...WATCH, '--json'], /^Watching/m)
    await getWorld().pg.query("INSERT INTO actions (action, path) SELECT 'bulk', '/b/' || g FROM generate_series(1, 1500) g")
    await getWorld().pg.query('TRUNCATE actions')
    const changes = await lines(2, watching)
    expect(changes).to.deep.equal([{
      count: 1500, first_id: 2, last_id: 1501, op: 'insert',
    }, {op: 'truncate'}])
  })

  it('holds exactly one database connection while it watches', async function () {
    watching = await startFollowing(WATCH, /^Watching/m)
    expect(await pluginBackends()).to.have.length(1)
  })

  it('reconnects after its session is killed, through a rotation and API outage, and prints what happened meanwhile exactly once, in commit order', async function () {
    const {api, pg} = getWorld()
    watching = await startFollowing([...WATCH, '--json'], /^Watching/m)
    // a transaction that takes its log number first and commits last
    const slow = await otherClient()
    await slow.query('BEGIN')
    await slow.query("INSERT INTO actions (action, path) VALUES ('slow', '/slow')")
    await pg.query("INSERT INTO actions (action, path) VALUES ('before', '/before')")
    await lines(1, watching)

    api.setDatabaseUrl(APP, 'DATABASE', await pg.rotatePassword())
    api.failNext(503, 6)
    expect(await terminatePlugin()).to.equal(1)
    await pg.query("INSERT INTO actions (action, path) VALUES ('away-1', '/a1')")
    await slow.query('COMMIT')
    await slow.end()
    await pg.query("INSERT INTO actions (action, path) VALUES ('away-2', '/a2')")

    const changes = await lines(4, watching)
    await eventually(() => (/Reconnected/.test(watching!.output()) ? true : undefined), 20_000, 'the reconnection notice')
    // and it goes on following
    await pg.query("INSERT INTO actions (action, path) VALUES ('after', '/after')")
    const all = await lines(5, watching)
    expect(all.map(c => c.action)).to.deep.equal(['before', 'away-1', 'slow', 'away-2', 'after'])
    expect(changes.slice(0, 4).map(c => c.action)).to.deep.equal(['before', 'away-1', 'slow', 'away-2'])
    expect(watching.output()).to.match(/^Lost the connection to DATABASE on example-app \(.*\); reconnecting\.\.\.$/m)
    expect(watching.output()).not.to.include(pg.password)
    expect(await pluginBackends()).to.have.length(1)
  })

  it('refuses a table without the feed, and says to run init', async function () {
    await getWorld().pg.query('DROP TRIGGER heroku_actions_announce_insert ON actions')
    const {error, exitCode} = await run(WATCH)
    expect(exitCode).to.equal(1)
    expect(error?.message).to.equal(`the actions table is not up to date on DATABASE on ${APP} (it has no change feed): run heroku actions:init -a ${APP} to upgrade it; every row is kept`)
  })

  it('stops by itself with exit 0 after --stop-after, printing what came before', async function () {
    watching = await startFollowing([...WATCH, '--stop-after', '2s', '--json'], /^Watching/m)
    await getWorld().pg.query("INSERT INTO actions (action, path) VALUES ('late', '/late')")
    const {exitCode, stdout} = await watching.done
    expect(exitCode).to.equal(0)
    expect(ndjson(stdout).map(c => c.action)).to.deep.equal(['late'])
  })

  it('--stop-after that ends while it is still connecting: the connection is closed and the process exits 0', async function () {
    // each Platform API answer takes 1 s: the 200 ms are over before the connection is open
    getWorld().api.delayMs = 1000
    try {
      watching = startBin([...WATCH, '--stop-after', '200ms'])
      const exited = await Promise.race([watching.done, new Promise<undefined>(resolve => {
        setTimeout(resolve, 30_000)
      })])
      expect(exited, `still running 30 s later: ${watching.output()}`).to.not.equal(undefined)
      expect(exited!.exitCode, exited!.stderr).to.equal(0)
      expect(exited!.stdout).to.equal('')
    } finally {
      getWorld().api.delayMs = 0
    }
  })

  it('ends with one line and exit 1 when a change cannot be written (a full disk)', async function () {
    const running = runBinInto([...WATCH, '--stop-after', '20s'], '> /dev/full')
    await eventually(async () => ((await pluginBackends()).length === 1 ? true : undefined), 20_000, 'the watcher listening')
    await getWorld().pg.query("INSERT INTO actions (action, path) VALUES ('lost', '/lost')")
    const {exitCode, stderr} = await running
    expect(exitCode).to.equal(1)
    expect(stderr).to.match(/^ › {3}Error: could not write the output: the disk is full\n$/m)
  })

  it('watches the local database with --local', async function () {
    await appWithActions([], local)
    watching = await startFollowing(['actions:watch', '--local', '--json'], /^Watching/m)
    await local.query("INSERT INTO actions (action, path) VALUES ('here', '/here')")
    const [change] = await lines(1, watching)
    expect(change).to.include({
      action: 'here', op: 'insert', path: '/here', status: false,
    })
  })
})
