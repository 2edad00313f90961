import type pg from 'pg'

import {expect} from 'chai'

import {appWithActions} from '../../support/actions.js'
import {otherClient} from '../../support/feed.js'
import {eventually} from '../../support/run.js'
import {getWorld} from '../../support/world.js'

interface Logged {committed: null | string; first_id: null | string; last_id: null | string; op: string; row_count: null | string; rows: Array<Record<string, unknown>> | null;}

describe('the change feed (schema version 3)', function () {
  let listener: pg.Client
  let payloads: string[]

  beforeEach(async function () {
    await appWithActions([['deploy', '/api/deploy', false]])
    // the insert above is logged too: start each test from an empty log, numbered from 1
    await getWorld().pg.query('TRUNCATE heroku_actions_changes RESTART IDENTITY; ALTER SEQUENCE heroku_actions_changes_committed RESTART')
    payloads = []
    listener = await otherClient()
    listener.on('notification', ({channel, payload}) => channel === 'heroku_actions' && payloads.push(payload ?? ''))
    await listener.query('LISTEN heroku_actions')
  })

  afterEach(async function () {
    await listener.end()
  })

  const log = () => getWorld().pg.query<Logged>('SELECT committed::text, op, row_count::text, rows, first_id::text, last_id::text FROM heroku_actions_changes ORDER BY seq')
  const notified = (count: number) => eventually(() => (payloads.length >= count ? payloads.map(p => JSON.parse(p) as Record<string, unknown>) : undefined), 5000, `${count} notifications`)

  it("logs another client's insert, update and delete with their rows, and announces each with a small payload", async function () {
    const client = await otherClient()
    await client.query("INSERT INTO actions (action, path) VALUES ('a', '/a'), ('b', '/b')")
    await client.query("UPDATE actions SET status = true WHERE action = 'a'")
    await client.query("DELETE FROM actions WHERE action = 'deploy'")
    await client.end()
    const announced = await notified(3)
    expect(announced.map(p => [p.op, p.count])).to.deep.equal([['insert', 2], ['update', 1], ['delete', 1]])
    const entries = await log()
    expect(announced.map(p => p.seq)).to.deep.equal([1, 2, 3])
    expect(entries.map(e => [e.op, e.row_count, e.rows?.map(r => [r.id, r.action, r.status])])).to.deep.equal([
      ['insert', '2', [[2, 'a', false], [3, 'b', false]]],
      ['update', '1', [[2, 'a', true]]],
      ['delete', '1', [[1, 'deploy', false]]],
    ])
    expect(entries.map(e => e.committed)).to.deep.equal(['1', '2', '3'])
  })

  it('keeps a count and the id range, not the rows, for a statement of more than 1,000 rows', async function () {
    await getWorld().pg.query("INSERT INTO actions (action, path) SELECT 'bulk', '/b/' || g FROM generate_series(1, 5000) g")
    const [announced] = await notified(1)
    expect(announced).to.deep.equal({count: 5000, op: 'insert', seq: 1})
    expect((await log()).map(e => [e.row_count, e.first_id, e.last_id, e.rows])).to.deep.equal([['5000', '2', '5001', null]])
  })

  it('numbers entries in commit order, not in the order their statements ran', async function () {
    const first = await otherClient()
    await first.query('BEGIN')
    await first.query("INSERT INTO actions (action, path) VALUES ('started first', '/1')")
    await getWorld().pg.query("INSERT INTO actions (action, path) VALUES ('committed first', '/2')")
    await first.query('COMMIT')
    await first.end()
    const entries = await getWorld().pg.query<{action: string; committed: string}>("SELECT rows->0->>'action' AS action, committed::text FROM heroku_actions_changes ORDER BY committed")
    expect(entries.map(e => e.action)).to.deep.equal(['committed first', 'started first'])
    expect((await notified(2)).map(p => p.seq)).to.deep.equal([2, 1])
  })

  it('never makes a write fail: with its log gone, the change goes through with a WARNING', async function () {
    await getWorld().pg.query('DROP TABLE heroku_actions_changes')
    const client = await otherClient()
    const notices: string[] = []
    client.on('notice', notice => notices.push(notice.message ?? ''))
    try {
      const {rowCount} = await client.query("INSERT INTO actions (action, path) VALUES ('still', '/works')")
      expect(rowCount).to.equal(1)
    } finally {
      await client.end()
    }

    expect(notices.join('\n')).to.match(/heroku-actions change feed: .*heroku_actions_changes.* \(the change itself went through/)
    expect(await getWorld().pg.query("SELECT action FROM actions WHERE path = '/works'")).to.deep.equal([{action: 'still'}])
  })

  it('does not fail an UPDATE of every row of a large table, and stays one small notification', async function () {
    await getWorld().pg.query("INSERT INTO actions (action, path) SELECT repeat('x', 255), '/' || repeat('y', 240) || g FROM generate_series(1, 100000) g")
    await getWorld().pg.query('UPDATE actions SET status = true')
    const announced = await notified(2)
    expect(announced[1]).to.deep.equal({count: 100_001, op: 'update', seq: 2})
    expect(payloads.every(p => p.length < 100)).to.equal(true)
  })
})
