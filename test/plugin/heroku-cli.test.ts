import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {promisify} from 'node:util'

import {expectNoCredentials} from '../support/refusal.js'
import {ROOT, type RunResult, runScript} from '../support/run.js'
import {
  actionsInDb, APP, freshApp, getWorld, TOKEN,
} from '../support/world.js'

// the real Heroku CLI (npm package `heroku`, a devDependency): nothing is installed at test time
const HEROKU = path.join(ROOT, 'node_modules/heroku/bin/run.js')

describe('the plugin inside the real Heroku CLI', function () {
  // about 2.5 s per heroku call on an idle machine; much more on a busy one
  this.timeout(180_000)
  let home: string

  before(async function () {
    home = await mkdtemp(path.join(os.tmpdir(), 'heroku-actions-cli-home-'))
  })

  after(async function () {
    await rm(home, {force: true, recursive: true})
  })

  async function heroku(...argv: string[]): Promise<RunResult> {
    return herokuWith({}, ...argv)
  }

  async function herokuWith(env: NodeJS.ProcessEnv, ...argv: string[]): Promise<RunResult> {
    const result = await runScript(HEROKU, argv, {
      cwd: home,
      env: {
        // the CLI writes config, cache and the plugin link under HOME, and
        // talks to nothing but the stand-in: no autoupdate, version check or telemetry
        DISABLE_TELEMETRY: 'true',
        FORCE_COLOR: undefined,
        HEROKU_API_KEY: TOKEN,
        HEROKU_DISABLE_AUTOUPDATE: '1',
        HEROKU_HOST: getWorld().api.url,
        HEROKU_SKIP_NEW_VERSION_CHECK: 'true',
        HOME: home,
        XDG_CACHE_HOME: path.join(home, '.cache'),
        XDG_CONFIG_HOME: path.join(home, '.config'),
        XDG_DATA_HOME: path.join(home, '.local/share'),
        ...env,
      },
    })
    expectNoCredentials(result)
    return result
  }

  it('links the plugin, then runs actions:init and actions:list against the app', async function () {
    const link = await heroku('plugins:link', '--no-install', ROOT)
    expect(link.exitCode, link.stderr).to.equal(0)
    const linked = JSON.parse(await readFile(path.join(home, '.local/share/heroku/package.json'), 'utf8'))
    expect(linked.oclif.plugins).to.deep.include({name: 'heroku-actions', root: ROOT, type: 'link'})

    await freshApp()
    const init = await heroku('actions:init', '-a', APP)
    expect(init.exitCode, init.stderr).to.equal(0)
    expect(init.stdout).to.match(/^Created the actions table on DATABASE on example-app \(schema version \d+\)\.\n$/)
    expect(await actionsInDb()).to.deep.equal([])

    await getWorld().pg.query("INSERT INTO actions (action, path, status) VALUES ('deploy', '/api/deploy', false), ('backup', '/api/backup', true)")
    // every module the CLI loads, through the ES module loader
    const trace = path.join(home, 'loaded.txt')
    const list = await herokuWith(
      {NODE_OPTIONS: `--import=${pathToFileURL(path.join(ROOT, 'test/support/trace-loads.mjs')).href}`, TRACE_LOADS_FILE: trace},
      'actions:list',
      '-a',
      APP,
      '--json',
    )
    expect(list.exitCode, list.stderr).to.equal(0)
    // #12: linked, the plugin runs its build (dist/, one bundle with pg and the Heroku libraries), as
    // installed, and oclif has nothing to warn about: tsconfig.json gives it no rootDir/outDir to map
    // dist/ back to src/
    expect(list.stderr).to.not.match(/linked ESM module|auto-transpil|tsconfig|ts-node|typescript/i)
    const loaded = (await readFile(trace, 'utf8')).split('\n')
    expect(loaded.some(url => url.endsWith('/dist/commands/actions/list.js'))).to.equal(true)
    expect(loaded.filter(url => /\/node_modules\/(pg|pg-protocol)\//.test(url))).to.deep.equal([])
    expect(loaded.filter(url => url.startsWith(pathToFileURL(path.join(ROOT, 'src')).href))).to.deep.equal([])
    // hux's barrel (ink, React) is not in the bundle; the CLI's own hooks load @heroku-cli/command, so that is not checked
    expect(loaded.filter(url => /\/node_modules\/(ink|react)\//.test(url))).to.deep.equal([])
    expect(JSON.parse(list.stdout).map((r: {action: string; id: number; status: boolean}) => [r.id, r.action, r.status]))
    .to.deep.equal([[1, 'deploy', false], [2, 'backup', true]])
    expect(getWorld().api.requests.filter(r => r.path === `/apps/${APP}/config-vars`)).to.have.length(2)

    // #14: the program's arguments arrive as typed under heroku too
    const run = await heroku('actions:run', '-a', APP, '--', 'printf', '[%s]', '-c', 'a', '-c', 'b', '-a', '')
    expect(run.exitCode, run.stderr).to.equal(0)
    expect(run.stdout).to.equal('[-c][a][-c][b][-a][]')

    // the CLI adds notices of its own on stderr; ours is still one line
    const missing = await heroku('actions:list', '-a', 'no-such-app')
    expect(missing.exitCode).to.equal(1)
    expect(missing.stdout).to.equal('')
    expect(missing.stderr.split('\n')).to.include(' ›   Error: app no-such-app not found: check the name with heroku apps, or pass another with --app')
  })

  it('installs from the packed tarball, as users will once it is published, and runs init, list, an error and --local there', async function () {
    // the tarball of what npm publishes (dist/ as npm test just built it)
    const {stdout} = await promisify(execFile)('npm', ['pack', '--ignore-scripts', '--pack-destination', home, '--silent'], {cwd: ROOT})
    const tarball = path.join(home, stdout.trim().split('\n').at(-1)!)
    await heroku('plugins:unlink', 'heroku-actions')
    const install = await heroku('plugins:install', `file:${tarball}`)
    expect(install.exitCode, install.stderr).to.equal(0)
    const installed = JSON.parse(await readFile(path.join(home, '.local/share/heroku/package.json'), 'utf8'))
    expect(JSON.stringify(installed.dependencies)).to.include('heroku-actions')

    await freshApp()
    const init = await heroku('actions:init', '-a', APP)
    expect(init.exitCode, init.stderr).to.equal(0)
    expect(init.stdout).to.match(/^Created the actions table on DATABASE on example-app/)
    await getWorld().pg.query("INSERT INTO actions (action, path) VALUES ('deploy', '/api/deploy')")
    const list = await heroku('actions:list', '-a', APP, '--json')
    expect(list.exitCode, list.stderr).to.equal(0)
    expect(JSON.parse(list.stdout).map((r: {action: string}) => r.action)).to.deep.equal(['deploy'])
    const missing = await heroku('actions:list', '-a', 'no-such-app')
    expect(missing.exitCode).to.equal(1)
    expect(missing.stderr.split('\n')).to.include(' ›   Error: app no-such-app not found: check the name with heroku apps, or pass another with --app')
    // the CLI's oclif is not the plugin's: a command's own exit code must not read as an error there
    const exit = await heroku('actions:run', '-a', APP, '--', 'sh', '-c', 'exit 3')
    expect(exit.exitCode).to.equal(3)
    expect(exit.stderr).to.not.include('EEXIT')
    const local = await heroku('actions:local:status', '--json')
    expect(local.exitCode, local.stderr).to.equal(0)
    expect(JSON.parse(local.stdout)).to.have.property('state')
  })
})
