import {expect} from 'chai'
import {existsSync} from 'node:fs'

import {serverPid, useDataDir} from '../../../support/local.js'

describe('actions:local:status', function () {
  // each test starts from a data directory of its own, and makes what it needs
  this.timeout(90_000)
  const data = useDataDir('each')
  const twoActions = async () => {
    for (const argv of [['actions:init', '--local'], ['actions:add', 'a', '/a', '--local'], ['actions:add', 'b', '/b', '--local']]) {
      const {exitCode, stderr} = await data.inProcess(argv)
      expect(exitCode, stderr).to.equal(0)
    }
  }

  const status = async () => {
    const {exitCode, stderr, stdout} = await data.inProcess(['actions:local:status', '--json'])
    expect(exitCode, stderr).to.equal(0)
    return JSON.parse(stdout)
  }

  it('says there is no local database yet, and creates nothing', async function () {
    const {stdout} = await data.inProcess(['actions:local:status'])
    expect(stdout).to.include('not created yet (the first --local command creates it)')
    expect(await status()).to.include({actions: null, state: 'absent'})
    expect(existsSync(data.dir)).to.equal(false)
  })

  it('counts the actions of a stopped database and leaves it stopped', async function () {
    await twoActions()
    expect(await status()).to.include({
      actions: 2, data_dir: data.dir, kept_running: false, port: null, state: 'stopped',
    })
    expect(serverPid(data.dir)).to.equal(undefined)
  })

  it('says where a running database listens', async function () {
    await twoActions()
    await data.bin(['actions:local:start'])
    const pid = serverPid(data.dir)
    const json = await status()
    expect(json).to.include({
      actions: 2, kept_running: true, pid, state: 'running',
    })
    const {stdout} = await data.inProcess(['actions:local:status'])
    // the look of heroku pg:info (hux): a heading, then aligned "Key: value" lines
    expect(stdout).to.match(new RegExp(`^=== the local database\\n\\nState: +running, until heroku actions:local:stop\\nAddress: +127\\.0\\.0\\.1:${json.port} \\(pid ${pid}\\)\\n`))
    expect(stdout).to.match(/\nActions: +2\n$/)
    await data.inProcess(['actions:local:stop'])
    // #14: a stopped database showed port null, though the next start takes the remembered one
    expect(await status()).to.include({pid: null, port: json.port, state: 'stopped'})
    expect((await data.inProcess(['actions:local:status'])).stdout).to.include(`Address: 127.0.0.1:${json.port} when started again\n`)
  })

  it('prints the keys in snake_case, as every --json does', async function () {
    expect(Object.keys(await status()).sort()).to.deep.equal(['actions', 'cluster', 'data_dir', 'kept_running', 'pid', 'port', 'state'])
  })
})
