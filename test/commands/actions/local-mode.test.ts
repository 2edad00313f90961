import {expect} from 'chai'
import {
  existsSync, readdirSync, readFileSync, statSync,
} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {appWithActions} from '../../support/actions.js'
import {runIn, serverPid, useDataDir} from '../../support/local.js'
import {
  eventually, run, runBin, startBin,
} from '../../support/run.js'
import {local as localTarget} from '../../support/targets.js'

const CREATING = 'Creating the local PostgreSQL database in'

/** What --local commands leave in the data directory when none is running. */
function leftovers(dataDir: string): string[] {
  const found = readdirSync(dataDir).filter(name => !['leases', 'password', 'server'].includes(name))
  return [...found, ...readdirSync(path.join(dataDir, 'leases')), ...(serverPid(dataDir) ? ['a running server'] : [])]
}

/** Processes whose command line names `dir` (Linux's /proc; none elsewhere). */
function programsUsing(dir: string): string[] {
  const pids = existsSync('/proc') ? readdirSync('/proc').filter(name => /^\d+$/.test(name)) : []
  return pids.map(pid => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
    } catch {
      return ''
    }
  }).filter(cmdline => cmdline.includes(dir))
}

describe('--local', function () {
  // first-time setup (initdb) in each test, several processes at once; longer than the 30 s wait below, so that it can report
  this.timeout(120_000)
  const data = useDataDir()
  const local = (argv: string[]) => data.bin([...argv, '--local'])

  it('creates the database on first use and says so once; rows survive; nothing is left running', async function () {
    const init = await local(['actions:init'])
    expect(init.exitCode, init.stderr).to.equal(0)
    expect(init.stderr).to.include(`${CREATING} ${path.join(data.dir, 'server')}`)
    expect(init.stdout).to.include('Created the actions table on the local database')
    const add = await local(['actions:add', 'deploy', '/api/deploy'])
    const list = await local(['actions:list', '--json'])
    expect(add.stderr + list.stderr).not.to.include(CREATING)
    expect(JSON.parse(list.stdout).map((r: {path: string}) => r.path)).to.deep.equal(['/api/deploy'])
    expect(leftovers(data.dir)).to.deep.equal([])
    expect(statSync(path.join(data.dir, 'password')).mode & 0o777).to.equal(0o600)
  })

  it('lets two commands start at the same moment on a new data directory: both succeed, one creates it', async function () {
    const both = await Promise.all([local(['actions:init']), local(['actions:init'])])
    expect(both.map(r => r.exitCode), both.map(r => r.stderr).join('\n')).to.deep.equal([0, 0])
    expect(both.filter(r => r.stderr.includes(CREATING))).to.have.length(1)
    expect(both.filter(r => r.stdout.includes('Created the actions table'))).to.have.length(1)
    expect(both.filter(r => r.stdout.includes('up to date'))).to.have.length(1)
    expect(leftovers(data.dir)).to.deep.equal([])
  })

  it('lets four commands share a server none of them found running, and the last one out stops it', async function () {
    expect((await local(['actions:init'])).exitCode).to.equal(0)
    const adds = await Promise.all(Array.from({length: 4}, (_, i) => local(['actions:add', `a${i}`, `/p${i}`])))
    expect(adds.map(r => r.exitCode), adds.map(r => r.stderr).join('\n')).to.deep.equal([0, 0, 0, 0])
    const list = await local(['actions:list', '--json'])
    expect(JSON.parse(list.stdout).map((r: {id: number}) => r.id)).to.deep.equal([1, 2, 3, 4])
    expect(leftovers(data.dir)).to.deep.equal([])
  })

  it('is not stopped by a command killed with SIGKILL during first-time setup', async function () {
    const running = startBin(['actions:init', '--local'], {env: {HEROKU_ACTIONS_DATA_DIR: data.dir}})
    await eventually(() => running.output().includes(CREATING) || undefined, 30_000, 'the notice of first-time setup')
    running.child.kill('SIGKILL')
    await running.done
    const init = await local(['actions:init'])
    expect(init.exitCode, init.stderr).to.equal(0)
    expect(init.stdout).to.include('Created the actions table')
    expect(leftovers(data.dir)).to.deep.equal([])
    expect(readdirSync(data.dir).filter(name => name.includes('.init-'))).to.deep.equal([])
    expect(programsUsing(data.dir), 'an initdb the killed command left running').to.deep.equal([])
  })

  it('starts afresh when the server was killed with SIGKILL and left its postmaster.pid', async function () {
    const start = await data.bin(['actions:local:start'])
    expect(start.exitCode, start.stderr).to.equal(0)
    const pid = serverPid(data.dir)!
    process.kill(pid, 'SIGKILL')
    const init = await local(['actions:init'])
    expect(init.exitCode, init.stderr).to.equal(0)
    expect(serverPid(data.dir)).to.equal(undefined)
  })
})

describe('--local errors', function () {
  before(async function () {
    await appWithActions([], localTarget)
  })

  it('says when the data directory cannot be written', async function () {
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'heroku-actions-bad-'))
    try {
      await writeFile(path.join(scratch, 'file'), '')
      const dataDir = path.join(scratch, 'file', 'data')
      const {error, exitCode} = await runIn(dataDir, ['actions:list', '--local'])
      expect(exitCode).to.equal(1)
      expect(error?.message).to.equal(`the data directory ${dataDir} is not writable (ENOTDIR): fix its permissions, or set HEROKU_ACTIONS_DATA_DIR to a writable directory`)
    } finally {
      await rm(scratch, {force: true, recursive: true})
    }
  })

  it('refuses --app together with --local', async function () {
    const {error, exitCode} = await run(['actions:list', '--local', '--app', 'example-app'])
    expect(exitCode).to.equal(2)
    expect(error?.message).to.equal('--app and --local cannot be used together: pick one')
  })

  it('is not stopped by HEROKU_APP in the environment', async function () {
    process.env.HEROKU_APP = 'example-app'
    try {
      const {exitCode, stderr} = await run(['actions:list', '--local'])
      expect(exitCode, stderr).to.equal(0)
    } finally {
      delete process.env.HEROKU_APP
    }
  })
})

describe('--local on actions:sql, actions:info and actions:run', function () {
  before(async function () {
    await appWithActions([['deploy', '/api/deploy', false]], localTarget)
  })

  it('runs SQL on the local database', async function () {
    const {exitCode, stderr, stdout} = await run(['actions:sql', 'SELECT count(*) AS n FROM actions', '--local', '--json'])
    expect(exitCode, stderr).to.equal(0)
    expect(JSON.parse(stdout)[0].rows).to.deep.equal([{n: '1'}])
  })

  it('describes the local database', async function () {
    const {exitCode, stderr, stdout} = await run(['actions:info', '--local'])
    expect(exitCode, stderr).to.equal(0)
    expect(stdout).to.include('=== the local database')
    expect(stdout).to.include('1 pending, 0 done')
  })

  it('gives a program the local database, over SSL', async function () {
    const {exitCode, stderr, stdout} = await runBin(['actions:run', '--local', '--', 'psql', '-Atc', 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'])
    expect(exitCode, stderr).to.equal(0)
    expect(stdout.trim()).to.equal('t')
  })
})
