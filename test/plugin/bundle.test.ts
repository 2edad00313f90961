import {expect} from 'chai'
import {
  mkdir, readdir, readFile, rm, writeFile,
} from 'node:fs/promises'
import {createRequire} from 'node:module'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

import {appWithActions} from '../support/actions.js'
import {ROOT, runBin} from '../support/run.js'
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
    const {host} = new URL(getWorld().api.url)
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

  // #12: Node parses the whole bundle at every start; inquirer (a prompt), open (a browser login) and
  // yargs-parser (deprecated flag syntax), which the libraries import() on those paths only, are not in it
  it('keeps what the libraries load with import() in chunks beside the bundle, each of which loads', async function () {
    const dir = path.join(ROOT, 'dist/lib/heroku')
    const chunks = (await readdir(dir)).filter(file => /^heroku-cli-\w+\.js$/.test(file))
    expect(chunks).to.not.deep.equal([])
    const bundle = await readFile(path.join(dir, 'heroku-cli.js'), 'utf8')
    for (const name of ['inquirer', 'open', 'yargs-parser']) expect(bundle, name).to.not.include(`// node_modules/${name}/`)
    for (const chunk of chunks) expect(Object.keys(await import(pathToFileURL(path.join(dir, chunk)).href)), chunk).to.not.deep.equal([])
  })

  // the stubs forward to the real modules by name: each name must exist
  // there as a function, in the versions package.json pins
  it('each stub forwards only to functions that exist in the real module, and loads and calls it', async function () {
    // imported here, not at the top: a top-level import of the build script keeps mocha's root hooks from running
    const {LAZY, lazyStub} = await import('../../scripts/bundle-heroku.mjs')
    expect(Object.keys(LAZY).sort()).to.deep.equal(['@sentry/node', 'execa', 'tunnel-ssh'])
    for (const [name, spec] of Object.entries(LAZY)) {
      const require = createRequire(createRequire(path.join(ROOT, 'package.json')).resolve(spec.owner))

      const real = await import(pathToFileURL(require.resolve(name)).href) as Record<string, unknown>
      for (const fn of Object.keys(spec.exports)) expect(typeof real[fn], `${name}.${fn}`).to.equal('function')
      // the stub as the bundle has it, from a file in dist/ like the bundle
      const file = path.join(ROOT, 'dist', `stub-test-${name.replaceAll('/', '-')}.mjs`)

      await writeFile(file, lazyStub(name, spec))

      const stub = await import(pathToFileURL(file).href) as Record<string, (...args: unknown[]) => unknown>

      await rm(file)
      expect(Object.keys(stub).sort()).to.deep.equal(Object.keys(spec.exports).sort())

      if (name === 'execa') expect((await stub.execa(process.execPath, ['-e', 'process.stdout.write("ok")']) as {stdout: string}).stdout).to.equal('ok')
      if (name === '@sentry/node') expect(stub.getClient()).to.equal(undefined)
    }
  })
})
