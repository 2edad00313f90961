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

// dist/ is a bundle of the plugin with the Heroku libraries, in which the
// modules they need only on rare paths are stubs that load the real module on
// first call (scripts/bundle.mjs). Those paths, through the built plugin as a
// user runs it:
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

  // #12: Node parses every file it loads at every start; inquirer (a prompt), open (a browser login) and
  // yargs-parser (deprecated flag syntax), which the libraries import() on those paths only, are in chunks
  // of their own, which no command imports statically
  it('keeps what the libraries load with import() in chunks no command loads at start, each of which loads', async function () {
    const dist = path.join(ROOT, 'dist')
    const chunks = (await readdir(path.join(dist, 'chunks'))).filter(file => file.endsWith('.js'))
    const atStart = new Set<string>()
    const visit = async (file: string): Promise<void> => {
      if (atStart.has(file)) return
      atStart.add(file)
      const text = await readFile(file, 'utf8')
      for (const [, imported] of text.matchAll(/(?:^import |^} from |^import .* from )"(\.[^"]+)";$/gm)) await visit(path.resolve(path.dirname(file), imported))
    }

    const commands = (await readdir(path.join(dist, 'commands'), {recursive: true})).filter(file => file.endsWith('.js'))
    for (const file of ['cli.js', ...commands.map(command => path.join('commands', command))]) await visit(path.join(dist, file))
    const lazy = chunks.filter(chunk => !atStart.has(path.join(dist, 'chunks', chunk)))
    for (const name of ['inquirer', 'open', 'yargs-parser']) {
      const marker = `// node_modules/${name}/`
      const holders = await Promise.all(chunks.map(async chunk => (await readFile(path.join(dist, 'chunks', chunk), 'utf8')).includes(marker) ? chunk : undefined))
      expect(holders.filter(Boolean), name).to.not.deep.equal([])
      expect(holders.filter(chunk => chunk && !lazy.includes(chunk)), name).to.deep.equal([])
    }

    for (const chunk of lazy) expect(Object.keys(await import(pathToFileURL(path.join(dist, 'chunks', chunk)).href)), chunk).to.not.deep.equal([])
  })

  // the stubs forward to the real modules by name: each name must exist
  // there as a function, in the versions package.json pins
  it('each stub forwards only to functions that exist in the real module, and loads and calls it', async function () {
    // imported here, not at the top: a top-level import of the build script keeps mocha's root hooks from running
    const {LAZY, lazyStub} = await import('../../scripts/bundle.mjs')
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
