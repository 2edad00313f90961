import {expect} from 'chai'
import {existsSync} from 'node:fs'

import {removeDataDir, runIn, serverPid, tempDataDir} from '../../../support/local.js'
import {runBin} from '../../../support/run.js'

describe('actions:local:status', function () {
  let dataDir: string
  // a subprocess where it matters (the server outlives it; the URL is printed unredacted), in process elsewhere
  const bin = (argv: string[]) => runBin(argv, {env: {HEROKU_ACTIONS_DATA_DIR: dataDir}})
  const inProcess = (argv: string[]) => runIn(dataDir, argv)
  const status = async () => {
    const {exitCode, stderr, stdout} = await inProcess(['actions:local:status', '--json'])
    expect(exitCode, stderr).to.equal(0)
    return JSON.parse(stdout)
  }

  before(async function () {
    dataDir = await tempDataDir()
  })

  after(async function () {
    await removeDataDir(dataDir)
  })

  it('says there is no local database yet, and creates nothing', async function () {
    const {stdout} = await inProcess(['actions:local:status'])
    expect(stdout).to.include('not created yet (the first --local command creates it)')
    expect(await status()).to.include({actions: null, state: 'absent'})
    expect(existsSync(dataDir)).to.equal(false)
  })

  it('counts the actions of a stopped database and leaves it stopped', async function () {
    await inProcess(['actions:init', '--local'])
    await inProcess(['actions:add', 'a', '/a', '--local'])
    await inProcess(['actions:add', 'b', '/b', '--local'])
    expect(await status()).to.include({actions: 2, dataDir, keptRunning: false, port: null, state: 'stopped'})
    expect(serverPid(dataDir)).to.equal(undefined)
  })

  it('says where a running database listens', async function () {
    await bin(['actions:local:start'])
    const pid = serverPid(dataDir)
    const json = await status()
    expect(json).to.include({actions: 2, keptRunning: true, pid, state: 'running'})
    const {stdout} = await inProcess(['actions:local:status'])
    expect(stdout).to.match(new RegExp(`^state +running, until heroku actions:local:stop\\naddress +127\\.0\\.0\\.1:${json.port} \\(pid ${pid}\\)\\n`))
    expect(stdout).to.match(/\nactions +2\n$/)
    await inProcess(['actions:local:stop'])
  })
})
