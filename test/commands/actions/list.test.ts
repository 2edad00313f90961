import {expect} from 'chai'

import {appWithActions, LIST_SAMPLE} from '../../support/actions.js'
import {run} from '../../support/run.js'
import {forEachTarget} from '../../support/targets.js'
import {getWorld} from '../../support/world.js'

forEachTarget('actions:list', function (target) {
  async function listJson(...flags: string[]): Promise<Array<{action: string; id: number; path: string; status: boolean}>> {
    const {exitCode, stderr, stdout} = await run(['actions:list', ...target.flags, '--json', ...flags])
    expect(exitCode, stderr).to.equal(0)
    return JSON.parse(stdout)
  }

  beforeEach(async function () {
    await appWithActions(LIST_SAMPLE, target)
  })

  it('prints every action as JSON with the documented keys and types', async function () {
    const rows = await listJson()
    expect(rows.map(r => r.id)).to.deep.equal([1, 2, 3, 4])
    expect(Object.keys(rows[0])).to.have.members(['id', 'action', 'path', 'status', 'created_at', 'updated_at'])
    expect(rows[1].status).to.equal(true)
  })

  it('filters by status, action, path prefix and limit', async function () {
    expect((await listJson('--status', 'done')).map(r => r.id)).to.deep.equal([2])
    expect((await listJson('--status', 'pending')).map(r => r.id)).to.deep.equal([1, 3, 4])
    expect((await listJson('--action', 'deploy')).map(r => r.id)).to.deep.equal([1, 3])
    expect((await listJson('--path', '/api/')).map(r => r.id)).to.deep.equal([1, 2])
    expect((await listJson('--limit', '2')).map(r => r.id)).to.deep.equal([1, 2])
  })

  it('treats % and _ in --path as plain characters', async function () {
    expect((await listJson('--path', '/api_')).map(r => r.id)).to.deep.equal([4])
    expect(await listJson('--path', '%')).to.deep.equal([])
  })

  it('prints CSV with a header row', async function () {
    const {stdout} = await run(['actions:list', ...target.flags, '--csv', '--status', 'done'])
    const lines = stdout.trimEnd().split('\n')
    expect(lines[0]).to.equal('id,action,path,status,created_at,updated_at')
    expect(lines[1]).to.match(/^2,backup,\/api\/backup,true,\d{4}-/)
    expect(lines).to.have.length(2)
  })

  it('prints a table, and an empty JSON array when nothing matches', async function () {
    const {stdout} = await run(['actions:list', ...target.flags])
    expect(stdout.split('\n')[0]).to.match(/^id\s+action\s+path\s+status\s+created_at$/)
    expect(stdout).to.match(/2\s+backup\s+\/api\/backup\s+done/)
    expect(await listJson('--action', 'nothing')).to.deep.equal([])
  })

  it('refuses --json together with --csv, saying so, before asking for the database', async function () {
    getWorld().api.requests = []
    const {error, exitCode, stdout} = await run(['actions:list', ...target.flags, '--json', '--csv'])
    expect(exitCode).to.equal(2)
    expect(error?.message).to.match(/^--csv and --json cannot be used together/)
    expect(stdout).to.equal('')
    expect(getWorld().api.requests).to.deep.equal([])
  })
})
