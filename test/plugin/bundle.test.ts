import {expect} from 'chai'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {appWithActions} from '../support/actions.js'
import {runBin} from '../support/run.js'
import {useTempDir} from '../support/temp-dir.js'
import {APP, getWorld, TOKEN} from '../support/world.js'

// dist/lib/heroku/heroku-cli.js is one bundle of the Heroku libraries, in
// which the modules they need only on rare paths are stubs that load the real
// module on first call (scripts/bundle-heroku.mjs). Those paths, through the
// built plugin as a user runs it:
describe('the bundled Heroku libraries', function () {
  const temp = useTempDir('heroku-actions-home-')

  it('read a login from a gpg-encrypted netrc (execa, loaded on demand)', async function () {
    await appWithActions([['deploy', '/api/deploy']])
    // a gpg that "decrypts" ~/.netrc.gpg to a netrc holding the stand-in's token, and logs how it was asked
    const home = temp.dir()
    const bin = path.join(home, 'bin')
    await writeFile(path.join(home, '.netrc.gpg'), 'not really encrypted')
    await mkdir(bin)
    const host = new URL(getWorld().api.url).host
    await writeFile(path.join(bin, 'gpg'), `#!/bin/sh
echo "$*" >> "${home}/gpg-calls"
printf 'machine ${host}\\n  login someone@example.test\\n  password ${TOKEN}\\n'
`, {mode: 0o755})

    const result = await runBin(['actions:list', '--app', APP, '--json'], {
      env: {HEROKU_API_KEY: undefined, HOME: home, PATH: `${bin}${path.delimiter}${process.env.PATH}`},
    })
    expect(result.exitCode, result.stderr).to.equal(0)
    expect(JSON.parse(result.stdout).map((row: {action: string}) => row.action)).to.deep.equal(['deploy'])
    expect(await readFile(path.join(home, 'gpg-calls'), 'utf8')).to.include(`--decrypt ${path.join(home, '.netrc.gpg')}`)
  })
})
