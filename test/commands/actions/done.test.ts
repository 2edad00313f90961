import {expect} from 'chai'

import {appWithActions} from '../../support/actions.js'
import {run} from '../../support/run.js'
import {forEachTarget} from '../../support/targets.js'

forEachTarget('actions:done', function (target) {
  beforeEach(async function () {
    await appWithActions([['a', '/a'], ['b', '/b'], ['c', '/c']], target)
  })

  it('marks several actions done in one go', async function () {
    const {exitCode, stdout} = await run(['actions:done', '1', '3', ...target.flags, '--json'])
    expect(exitCode).to.equal(0)
    expect(JSON.parse(stdout).map((r: {id: number}) => r.id)).to.deep.equal([1, 3])
    expect((await target.actions()).map(r => r.status)).to.deep.equal([true, false, true])
  })

  it('changes nothing when one of the ids does not exist, and names it', async function () {
    const {error, exitCode} = await run(['actions:done', '1', '7', '2', '8', ...target.flags])
    expect(exitCode).to.equal(1)
    expect(error?.message).to.include('no action with ids 7, 8; nothing was changed')
    expect((await target.actions()).map(r => r.status)).to.deep.equal([false, false, false])
  })

  it('refuses ids that are not positive integers before touching the database', async function () {
    for (const bad of ['0', '-1', '1.5', '1; DROP TABLE actions', '99999999999999999999']) {
      const {error, exitCode} = await run(['actions:done', ...target.flags, '--', bad])
      expect(exitCode, bad).to.equal(1)
      expect(error?.message, bad).to.include('is not an action id')
    }

    expect((await target.actions()).map(r => r.status)).to.deep.equal([false, false, false])
  })
})
