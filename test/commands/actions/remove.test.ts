import {expect} from 'chai'

import {appWithActions} from '../../support/actions.js'
import {run, runBin} from '../../support/run.js'
import {actionsInDb, APP} from '../../support/world.js'

describe('actions:remove', function () {
  beforeEach(async function () {
    await appWithActions([['a', '/a'], ['b', '/b'], ['c', '/c']])
  })

  it('removes the given actions with --confirm APP', async function () {
    const {exitCode, stderr} = await run(['actions:remove', '1', '2', '--app', APP, '--confirm', APP])
    expect(exitCode).to.equal(0)
    expect(stderr).to.include('Removed 2 actions.')
    expect((await actionsInDb()).map(r => r.id)).to.deep.equal([3])
  })

  it('refuses without --confirm when there is no terminal to ask, and removes nothing', async function () {
    const {exitCode, stderr} = await runBin(['actions:remove', '1', '--app', APP])
    expect(exitCode).to.equal(1)
    expect(stderr).to.include(`pass --confirm ${APP}`)
    expect(await actionsInDb()).to.have.length(3)
  })

  it('refuses a --confirm that does not match the app', async function () {
    const {error, exitCode} = await run(['actions:remove', '1', '--app', APP, '--confirm', 'other-app'])
    expect(exitCode).to.equal(1)
    expect(error?.message).to.include('does not match example-app')
    expect(await actionsInDb()).to.have.length(3)
  })

  it('removes nothing when one id does not exist', async function () {
    const {error} = await run(['actions:remove', '1', '5', '--app', APP, '--confirm', APP])
    expect(error?.message).to.include('no action with id 5')
    expect(await actionsInDb()).to.have.length(3)
  })
})
