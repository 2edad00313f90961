import {Config} from '@oclif/core'
import {expect} from 'chai'

import {COMMANDS} from '../support/commands.js'
import {ROOT} from '../support/run.js'

describe('the reliability suites cover every command', function () {
  it('each command of the plugin has its line in test/support/commands.ts', async function () {
    const config = await Config.load(ROOT)
    // the commands that reach a database through --app (not actions:local:start/stop/status, which manage the local server)
    const ids = config.commands.filter(c => c.pluginName === config.name && 'app' in c.flags).map(c => c.id).sort()
    expect(ids.length).to.be.greaterThan(0)
    expect(Object.keys(COMMANDS).sort()).to.deep.equal(ids)
  })
})
