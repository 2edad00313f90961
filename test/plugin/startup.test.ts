import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {
  mkdtemp, readdir, readFile, rm,
} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
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

/**
 * The packages bundled into a built file: esbuild heads each module it puts
 * in a bundle with a `// node_modules/<package>/<file>` line.
 */
async function bundled(url: string): Promise<Set<string>> {
  if (!url.startsWith(pathToFileURL(path.join(ROOT, 'dist')).href)) return new Set()
  const text = await readFile(fileURLToPath(url), 'utf8')
  return new Set([...text.matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map(match => match[1]))
}

/** What was loaded of these packages: from node_modules, or in a file of the build that bundles it. */
async function loadedOf(loaded: string[], packages: RegExp): Promise<string[]> {
  const found = new Set<string>()
  for (const url of loaded) {
    const fromNodeModules = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]
    for (const name of fromNodeModules ? [fromNodeModules] : await bundled(url)) if (packages.test(name)) found.add(name)
  }

  return [...found].sort()
}

const commandsLoaded = (loaded: string[]): string[] => loaded.filter(url => url.includes('/dist/commands/'))
const HEAVY = /^(pg|pg-protocol|@heroku-cli\/command|@heroku\/heroku-cli-util|@heroku\/http-call)$/

describe('start-up', function () {
  it('lists the commands from the manifest, loading none of them, nor pg or the Heroku libraries', async function () {
    const {loaded, result} = await traced(['actions', '--help'])
    expect(result.exitCode, result.stderr).to.equal(0)
    for (const id of COMMANDS) expect(result.stdout).to.match(new RegExp(`^  ${id} +\\S`, 'm'))
    // the trace works: it saw the CLI framework come in, bundled
    expect(await loadedOf(loaded, /^@oclif\/core$/)).to.deep.equal(['@oclif/core'])
    expect(commandsLoaded(loaded)).to.deep.equal([])
    expect(await loadedOf(loaded, HEAVY)).to.deep.equal([])
  })

  it('shows the top-level help without loading a command', async function () {
    const {loaded, result} = await traced(['--help'])
    expect(result.exitCode, result.stderr).to.equal(0)
    expect(result.stdout).to.match(/^ {2}actions +manage the actions table/m)
    expect(commandsLoaded(loaded)).to.deep.equal([])
    expect(await loadedOf(loaded, HEAVY)).to.deep.equal([])
  })

  // #12: the build is a bundle (scripts/bundle.mjs): Node reads a few files, not 209
  it('loads pg and the Heroku libraries from the bundle once a command runs, but not Sentry, execa or inquirer', async function () {
    const {loaded, result} = await traced(['actions:list', '--app', 'no-such-app'])
    expect(result.exitCode).to.equal(1)
    expect(result.stderr).to.include('app no-such-app not found')
    expect(commandsLoaded(loaded).map(url => path.relative(ROOT, fileURLToPath(url)))).to.deep.equal(['dist/commands/actions/list.js'])
    expect(await loadedOf(loaded, HEAVY)).to.deep.equal(['@heroku-cli/command', '@heroku/heroku-cli-util', '@heroku/http-call', 'pg', 'pg-protocol'])
    expect(loaded.filter(url => url.includes('/node_modules/'))).to.deep.equal([])
    // @sentry/node and execa come in only when a credential error is reported or a netrc is
    // gpg-encrypted (stubs: test/plugin/bundle.test.ts); inquirer only for a prompt
    expect(await loadedOf(loaded, /^(@sentry\/.*|@opentelemetry\/.*|execa|inquirer|@inquirer\/.*)$/)).to.deep.equal([])
    expect(new Set(loaded).size).to.be.below(40)
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
