import {expect} from 'chai'

import {appWithActions} from '../../support/actions.js'
import {run} from '../../support/run.js'
import {forEachTarget} from '../../support/targets.js'

forEachTarget('actions:add', function (target) {
  beforeEach(async function () {
    await appWithActions([], target)
  })

  it('stores the action and prints it as JSON', async function () {
    const {exitCode, stdout} = await run(['actions:add', 'deploy', '/api/deploy', ...target.flags, '--json'])
    expect(exitCode).to.equal(0)
    const [row] = JSON.parse(stdout)
    expect(row).to.include({
      action: 'deploy', id: 1, path: '/api/deploy', status: false,
    })
    expect(Date.parse(row.created_at)).to.be.closeTo(Date.now(), 60_000)
    expect(await target.actions()).to.deep.equal([{
      action: 'deploy', id: 1, path: '/api/deploy', status: false,
    }])
  })

  it('records it as done with --done, and prints a table by default', async function () {
    const {stdout} = await run(['actions:add', 'backup', '/api/backup', '--done', ...target.flags])
    expect(stdout).to.match(/^id\s+action\s+path\s+status/)
    expect(stdout).to.match(/1\s+backup\s+\/api\/backup\s+done/)
    expect(await target.actions()).to.deep.equal([{
      action: 'backup', id: 1, path: '/api/backup', status: true,
    }])
  })

  it('stores quotes, SQL and Unicode exactly as given', async function () {
    const action = "x'); DROP TABLE actions; --"
    const path = '/é/🚀/שלום/'
    expect((await run(['actions:add', action, path, ...target.flags])).exitCode).to.equal(0)
    expect(await target.actions()).to.deep.equal([{
      action, id: 1, path, status: false,
    }])
  })

  it('accepts 255 characters that are more than 255 bytes', async function () {
    const path = 'é'.repeat(255)
    expect((await run(['actions:add', 'a', path, ...target.flags])).exitCode).to.equal(0)
    expect((await target.actions())[0].path).to.equal(path)
  })

  for (const [what, action, path, message] of [
    ['a path longer than 255 characters', 'deploy', 'x'.repeat(256), '256 characters long; at most 255'],
    ['an empty action', '', '/p', 'action is empty'],
    ['a blank path', 'deploy', '   ', 'path is empty'],
  ]) {
    it(`refuses ${what} and writes nothing`, async function () {
      const {error, exitCode} = await run(['actions:add', action, path, ...target.flags])
      expect(exitCode).to.equal(1)
      expect(error?.message).to.include(message)
      expect(await target.actions()).to.deep.equal([])
    })
  }

  it('says to run actions:init when the table does not exist', async function () {
    await target.fresh()
    const {error, exitCode} = await run(['actions:add', 'deploy', '/api/deploy', ...target.flags])
    expect(exitCode).to.equal(1)
    expect(error?.message).to.include(`run ${target.initCommand}`)
  })
})
