import {expect} from 'chai'

import {appWithActions} from '../../support/actions.js'
import {run} from '../../support/run.js'
import {forEachTarget} from '../../support/targets.js'
import {getWorld} from '../../support/world.js'

forEachTarget('actions:update', function (target) {
  beforeEach(async function () {
    await appWithActions([['deploy', '/api/deploy', true], ['backup', '/api/backup', false]], target)
  })

  it('changes the path and status of one action only', async function () {
    const {exitCode, stdout} = await run(['actions:update', '1', '--path', '/v2/deploy', '--pending', ...target.flags, '--json'])
    expect(exitCode).to.equal(0)
    expect(JSON.parse(stdout)[0]).to.include({
      action: 'deploy', id: 1, path: '/v2/deploy', status: false,
    })
    expect(await target.actions()).to.deep.equal([
      {
        action: 'deploy', id: 1, path: '/v2/deploy', status: false,
      },
      {
        action: 'backup', id: 2, path: '/api/backup', status: false,
      },
    ])
  })

  it('moves updated_at forward', async function () {
    const before = await run(['actions:list', ...target.flags, '--json'])
    await new Promise(resolve => {
      setTimeout(resolve, 20)
    })
    await run(['actions:update', '2', '--action', 'restore', ...target.flags])
    const after = await run(['actions:list', ...target.flags, '--json'])
    expect(Date.parse(JSON.parse(after.stdout)[1].updated_at)).to.be.greaterThan(Date.parse(JSON.parse(before.stdout)[1].updated_at))
  })

  it('says which id does not exist', async function () {
    const {error, exitCode} = await run(['actions:update', '9', '--done', ...target.flags])
    expect(exitCode).to.equal(1)
    expect(error?.message).to.include('no action with id 9')
  })

  it('refuses an update with nothing to change, a bad id, or an empty value', async function () {
    expect((await run(['actions:update', '1', ...target.flags])).error?.message).to.include('nothing to change')
    expect((await run(['actions:update', 'abc', '--done', ...target.flags])).error?.message).to.include('is not an action id')
    expect((await run(['actions:update', '1', '--path', '', ...target.flags])).error?.message).to.include('path is empty')
    expect(await target.actions()).to.deep.equal([
      {
        action: 'deploy', id: 1, path: '/api/deploy', status: true,
      },
      {
        action: 'backup', id: 2, path: '/api/backup', status: false,
      },
    ])
  })

  it('refuses --done with --pending, saying so, before asking for the database, and changes nothing', async function () {
    const before = await target.actions()
    getWorld().api.requests = []
    const {error, exitCode, stdout} = await run(['actions:update', '1', '--done', '--pending', ...target.flags])
    expect(exitCode).to.equal(2)
    expect(error?.message).to.match(/^--done and --pending cannot be used together/)
    expect(stdout).to.equal('')
    // the Platform API is never asked for the database URL, so nothing can connect (the remote case)
    expect(getWorld().api.requests).to.deep.equal([])
    expect(await target.actions()).to.deep.equal(before)
  })
})
