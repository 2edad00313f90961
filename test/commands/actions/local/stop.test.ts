import {expect} from 'chai'

import {holdLocal, serverPid, useDataDir} from '../../../support/local.js'

describe('actions:local:stop', function () {
  // a subprocess where it matters (a server that outlives it, a URL printed unredacted), in process elsewhere
  const data = useDataDir('all')

  it('stops the server; the data stays for next time', async function () {
    await data.bin(['actions:local:start'])
    await data.inProcess(['actions:init', '--local'])
    await data.inProcess(['actions:add', 'deploy', '/api/deploy', '--local'])
    const stop = await data.inProcess(['actions:local:stop'])
    expect(stop.exitCode).to.equal(0)
    expect(stop.stderr).to.include('Stopped the local database.')
    expect(serverPid(data.dir)).to.equal(undefined)
    const list = await data.inProcess(['actions:list', '--local', '--json'])
    expect(JSON.parse(list.stdout).map((r: {action: string}) => r.action)).to.deep.equal(['deploy'])
  })

  it('says when it is not running', async function () {
    const {exitCode, stderr} = await data.inProcess(['actions:local:stop'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.include('The local database is not running.')
  })

  it('leaves the server to a command still using it, which stops it when it ends (here by SIGTERM)', async function () {
    await data.bin(['actions:local:start'])
    const user = await holdLocal(data.dir)
    const stop = await data.inProcess(['actions:local:stop'])
    expect(stop.stderr).to.include(`The local database stops when the command using it (pid ${user.pid}) finishes.`)
    expect(serverPid(data.dir)).to.be.a('number')
    await user.kill('SIGTERM')
    expect(serverPid(data.dir)).to.equal(undefined)
  })
})
