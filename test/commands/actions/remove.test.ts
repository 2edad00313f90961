import {expect} from 'chai'

import {appWithActions} from '../../support/actions.js'
import {run, runBin} from '../../support/run.js'
import {forEachTarget} from '../../support/targets.js'

forEachTarget('actions:remove', function (target) {
  beforeEach(async function () {
    await appWithActions([['a', '/a'], ['b', '/b'], ['c', '/c']], target)
  })

  it('removes the given actions with --confirm', async function () {
    const {exitCode, stderr} = await run(['actions:remove', '1', '2', ...target.flags, '--confirm', target.confirm])
    expect(exitCode).to.equal(0)
    expect(stderr).to.include('Removed 2 actions.')
    expect((await target.actions()).map(r => r.id)).to.deep.equal([3])
  })

  it('refuses without --confirm when there is no terminal to ask, and removes nothing', async function () {
    const {exitCode, stderr} = await runBin(['actions:remove', '1', ...target.flags])
    expect(exitCode).to.equal(1)
    expect(stderr).to.include(`pass --confirm ${target.confirm}`)
    expect(await target.actions()).to.have.length(3)
  })

  it('refuses a --confirm that does not match', async function () {
    const {error, exitCode} = await run(['actions:remove', '1', ...target.flags, '--confirm', 'other-app'])
    expect(exitCode).to.equal(1)
    expect(error?.message).to.include(`does not match ${target.confirm}`)
    expect(await target.actions()).to.have.length(3)
  })

  it('removes nothing when one id does not exist', async function () {
    const {error} = await run(['actions:remove', '1', '5', ...target.flags, '--confirm', target.confirm])
    expect(error?.message).to.include('no action with id 5')
    expect(await target.actions()).to.have.length(3)
  })
})
