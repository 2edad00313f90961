import {expect} from 'chai'
import {inspect} from 'node:util'

import {redact} from '../../../src/lib/db/redact.js'

describe('redact', function () {
  const vars = {
    DATABASE_URL: 'postgres://u:p@h/d', EMPTY: '', 'ODD-NAME': 'odd-secret-value', STRIPE_SECRET_KEY: "sk_live_'quoted'",
  }
  const body = inspect(vars)

  it("drops every config var's value from HEROKU_DEBUG's print of the config-vars response, keeping the names", function () {
    for (const prefix of ['', '  \u001B[1;36mhttp \u001B[0m']) {
      const printed = `${prefix}\u2190 GET http://127.0.0.1:1/apps/example-app/config-vars 200\n${body.split('\n').map(line => prefix + line).join('\n')}\n`
      const out = redact(printed)
      for (const value of ['sk_live', 'odd-secret-value', 'postgres://u:p']) expect(out).not.to.include(value)
      for (const name of ['DATABASE_URL', 'STRIPE_SECRET_KEY', "'ODD-NAME'", 'EMPTY']) expect(out).to.include(`${name}: '[REDACTED]'`)
    }
  })

  it('leaves other responses and ordinary text alone', function () {
    const other = `\u2190 GET http://127.0.0.1:1/apps/example-app 200\n${inspect({name: 'example-app', stack: 'heroku-24'})}`
    expect(redact(other)).to.equal(other)
    expect(redact("note: 'config-vars' are like this: 'x'")).to.equal("note: 'config-vars' are like this: 'x'")
  })
})
