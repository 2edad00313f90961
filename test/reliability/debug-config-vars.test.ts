import {expect} from 'chai'

import {runBin} from '../support/run.js'
import {APP, getWorld} from '../support/world.js'

describe('HEROKU_DEBUG shows no config var of the app', function () {
  it("prints the config-vars response with every value redacted, the app's other secrets included", async function () {
    const {api, pg} = getWorld()
    api.reset()
    api.setApp({config: {PAYMENT_KEY: 'sk_live_51HxyzSECRETpayment', SESSION_SECRET: 'cookie-signing-secret-123'}, databases: [{attachment: 'DATABASE', url: pg.url}], name: APP})
    await pg.query('DROP TABLE IF EXISTS actions, heroku_actions_migrations, heroku_actions_changes')
    const {exitCode, stderr} = await runBin(['actions:init', '--app', APP], {env: {HEROKU_DEBUG: '1'}})
    expect(exitCode, stderr).to.equal(0)
    // the debug output is really on, and shows the names
    expect(stderr).to.match(/config-vars 200/)
    expect(stderr).to.include("PAYMENT_KEY: '[REDACTED]'")
    for (const secret of ['sk_live_51HxyzSECRETpayment', 'cookie-signing-secret-123', pg.password]) expect(stderr).not.to.include(secret)
  })
})
