import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {
  mkdtemp, readdir, readFile, rm,
} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {promisify} from 'node:util'

import {ROOT, runBin, type RunResult} from '../support/run.js'

const COMMANDS = ['actions:add', 'actions:done', 'actions:init', 'actions:list', 'actions:remove', 'actions:update']

/** Run bin/run.js and return what it printed and every module URL it loaded through the ES module loader. */
async function traced(argv: string[]): Promise<{loaded: string[]; result: RunResult}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'heroku-actions-trace-'))
  const file = path.join(dir, 'loaded.txt')
  try {
    const hook = pathToFileURL(path.join(ROOT, 'test/support/trace-loads.mjs')).href
    const result = await runBin(argv, {env: {NODE_OPTIONS: `--import=${hook}`, TRACE_LOADS_FILE: file}})
    const loaded = (await readFile(file, 'utf8')).split('\n').filter(Boolean)
    return {loaded, result}
  } finally {
    await rm(dir, {force: true, recursive: true})
  }
}

function heavy(loaded: string[]): string[] {
  return loaded.filter(url => /\/dist\/|\/node_modules\/(pg|@heroku-cli\/command|@heroku\/heroku-cli-util)\//.test(url))
}

describe('start-up', function () {
  it('lists the commands from the manifest, loading none of them, nor pg or the Heroku libraries', async function () {
    const {loaded, result} = await traced(['actions', '--help'])
    expect(result.exitCode, result.stderr).to.equal(0)
    for (const id of COMMANDS) expect(result.stdout).to.match(new RegExp(`^  ${id} +\\S`, 'm'))
    // the trace works: it saw the CLI framework come in
    expect(loaded.some(url => url.includes('/node_modules/@oclif/core/'))).to.equal(true)
    expect(heavy(loaded)).to.deep.equal([])
  })

  it('shows the top-level help without loading a command', async function () {
    const {loaded, result} = await traced(['--help'])
    expect(result.exitCode, result.stderr).to.equal(0)
    expect(result.stdout).to.match(/^ {2}actions +manage the actions table/m)
    expect(heavy(loaded)).to.deep.equal([])
  })

  it('loads pg and the bundled Heroku libraries once a command runs, but not Sentry or execa', async function () {
    const {loaded, result} = await traced(['actions:list', '--app', 'no-such-app'])
    expect(result.exitCode).to.equal(1)
    expect(result.stderr).to.include('app no-such-app not found')
    // the trace can see them
    expect(loaded.some(url => url.includes('/dist/commands/actions/list.js'))).to.equal(true)
    expect(loaded.some(url => url.includes('/node_modules/pg/'))).to.equal(true)
    // both Heroku libraries come from one file built by scripts/bundle-heroku.mjs;
    // @sentry/node and execa are loaded only when a credential error is reported or a netrc is gpg-encrypted
    expect(loaded.some(url => url.endsWith('/dist/lib/heroku/heroku-cli.js'))).to.equal(true)
    expect(loaded.filter(url => /\/node_modules\/(@heroku-cli\/command|@heroku\/heroku-cli-util|@heroku\/http-call|@sentry|@opentelemetry|execa|inquirer)\//.test(url)))
    .to.deep.equal([])
  })

  it('has a manifest with every command, and ships it', async function () {
    const manifest = JSON.parse(await readFile(path.join(ROOT, 'oclif.manifest.json'), 'utf8'))
    // actions:local:start lives in src/commands/actions/local/start.ts
    const sourceFiles = await readdir(path.join(ROOT, 'src/commands/actions'), {recursive: true})
    const sources = sourceFiles.filter(file => file.endsWith('.ts')).map(file => `actions:${file.replace(/\.ts$/, '').split(path.sep).join(':')}`)
    expect(Object.keys(manifest.commands).sort()).to.deep.equal(sources.sort())
    expect(manifest.version).to.equal(JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')).version)

    const {stdout} = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: ROOT})
    const files: string[] = JSON.parse(stdout)[0].files.map((f: {path: string}) => f.path)
    expect(files).to.include.members(['oclif.manifest.json',
      '.oclifrc',
      'bin/run.js',
      'package.json',
      'README.md',
      ...COMMANDS.map(id => `dist/commands/actions/${id.split(':')[1]}.js`)])
    // the example web app (examples/) is not part of the plugin
    expect(files.filter(file => /^(src|test|node_modules|examples)\//.test(file))).to.deep.equal([])
  })
})
