import {expect} from 'chai'

import {holdLocal, removeDataDir, runIn, serverPid, tempDataDir} from '../../../support/local.js'
import {runBin} from '../../../support/run.js'

describe('actions:local:stop', function () {
  let dataDir: string
  // a subprocess where it matters (the server outlives it; the URL is printed unredacted), in process elsewhere
  const bin = (argv: string[]) => runBin(argv, {env: {HEROKU_ACTIONS_DATA_DIR: dataDir}})
  const inProcess = (argv: string[]) => runIn(dataDir, argv)

  before(async function () {
    dataDir = await tempDataDir()
  })

  after(async function () {
    await removeDataDir(dataDir)
  })

  it('stops the server; the data stays for next time', async function () {
    await bin(['actions:local:start'])
    await inProcess(['actions:init', '--local'])
    await inProcess(['actions:add', 'deploy', '/api/deploy', '--local'])
    const stop = await inProcess(['actions:local:stop'])
    expect(stop.exitCode).to.equal(0)
    expect(stop.stderr).to.include('Stopped the local database.')
    expect(serverPid(dataDir)).to.equal(undefined)
    const list = await inProcess(['actions:list', '--local', '--json'])
    expect(JSON.parse(list.stdout).map((r: {action: string}) => r.action)).to.deep.equal(['deploy'])
  })

  it('says when it is not running', async function () {
    const {exitCode, stderr} = await inProcess(['actions:local:stop'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.include('The local database is not running.')
  })

  it('leaves the server to a command still using it, which stops it when it ends (here by SIGTERM)', async function () {
    await bin(['actions:local:start'])
    const user = await holdLocal(dataDir)
    const stop = await inProcess(['actions:local:stop'])
    expect(stop.stderr).to.include(`The local database stops when the command using it (pid ${user.pid}) finishes.`)
    expect(serverPid(dataDir)).to.be.a('number')
    await user.kill('SIGTERM')
    expect(serverPid(dataDir)).to.equal(undefined)
  })
})
