import {expect} from 'chai'

import {run, runBin} from '../../support/run.js'
import {forEachTarget} from '../../support/targets.js'

forEachTarget('actions:init', function (target) {
  async function columns(): Promise<string[]> {
    const rows = await target.query<{column_name: string}>("SELECT column_name FROM information_schema.columns WHERE table_name = 'actions' ORDER BY ordinal_position")
    return rows.map(r => r.column_name)
  }

  beforeEach(async function () {
    await target.fresh()
  })

  it('creates the actions table with id and timestamps, and records the schema version', async function () {
    const {exitCode, stdout} = await run(['actions:init', ...target.flags])
    expect(exitCode).to.equal(0)
    expect(stdout).to.include(`Created the actions table on ${target.label}`)
    expect(await columns()).to.deep.equal(['action', 'path', 'status', 'id', 'created_at', 'updated_at'])
    const versions = await target.query('SELECT version FROM heroku_actions_migrations ORDER BY version')
    expect(versions).to.deep.equal([{version: 1}, {version: 2}, {version: 3}])
  })

  it('says the table is up to date when run again, and changes nothing', async function () {
    await run(['actions:init', ...target.flags])
    await target.query("INSERT INTO actions (action, path) VALUES ('deploy', '/api/deploy')")
    const {exitCode, stdout} = await run(['actions:init', ...target.flags])
    expect(exitCode).to.equal(0)
    expect(stdout).to.include('up to date (schema version 3)')
    expect(await target.actions()).to.deep.equal([{
      action: 'deploy', id: 1, path: '/api/deploy', status: false,
    }])
  })

  it("upgrades the tutorial's table in place, keeping every row and assigning ids", async function () {
    await target.query('CREATE TABLE actions (action VARCHAR(255) NOT NULL, path VARCHAR(255) NOT NULL, status BOOLEAN NOT NULL DEFAULT FALSE)')
    await target.query(`ALTER TABLE actions OWNER TO "${target.owner()}"`)
    await target.query("INSERT INTO actions VALUES ('a', '/a', false), ('b', '/b', true), ('c', '/c', false)")
    const {exitCode, stdout} = await run(['actions:init', ...target.flags])
    expect(exitCode, stdout).to.equal(0)
    expect(stdout).to.include('Upgraded the actions table')
    const rows = await target.actions()
    expect(rows.map(r => [r.action, r.path, r.status])).to.deep.equal([['a', '/a', false], ['b', '/b', true], ['c', '/c', false]])
    expect(new Set(rows.map(r => r.id)).size).to.equal(3)
    const {stdout: list} = await run(['actions:list', ...target.flags, '--json'])
    expect(JSON.parse(list)).to.have.length(3)
    // and it has the change feed: a write from any client is logged
    await target.query("UPDATE actions SET status = true WHERE action = 'a'")
    expect(await target.query("SELECT op, rows->0->>'action' AS action FROM heroku_actions_changes")).to.deep.equal([{action: 'a', op: 'update'}])
  })

  it('prints the SQL with --dry-run and creates nothing', async function () {
    const {exitCode, stdout} = await run(['actions:init', ...target.flags, '--dry-run'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.include('CREATE TABLE IF NOT EXISTS actions')
    expect(stdout).to.include('GENERATED ALWAYS AS IDENTITY')
    const [{exists}] = await target.query<{exists: boolean}>("SELECT to_regclass('actions') IS NOT NULL AS exists")
    expect(exists).to.equal(false)
  })

  it('lets ten inits run at once: all succeed and the schema ends right', async function () {
    // ten processes on a machine that may have two busy cores
    this.timeout(120_000)
    // separate processes, as ten users would run it
    const results = await Promise.all(Array.from({length: 10}, () => runBin(['actions:init', ...target.flags])))
    expect(results.map(r => r.exitCode), results.map(r => r.stderr).join('')).to.deep.equal(Array.from({length: 10}, () => 0))
    expect(results.filter(r => r.stdout.includes('Created')).length).to.equal(1)
    expect(await columns()).to.deep.equal(['action', 'path', 'status', 'id', 'created_at', 'updated_at'])
    const versions = await target.query('SELECT version FROM heroku_actions_migrations ORDER BY version')
    expect(versions).to.have.length(3)
  })

  it('refuses a table named actions of another shape, and leaves it alone', async function () {
    await target.query('CREATE TABLE actions (name TEXT)')
    await target.query(`ALTER TABLE actions OWNER TO "${target.owner()}"`)
    const {error, exitCode} = await run(['actions:init', ...target.flags])
    expect(exitCode).to.equal(1)
    expect(error?.message).to.include('without the column(s) action, path, status')
    const cols = await columns()
    expect(cols).to.deep.equal(['name'])
  })
})
