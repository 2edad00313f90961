import {expect} from 'chai'
import {existsSync} from 'node:fs'
import {mkdir} from 'node:fs/promises'
import {createServer, Server} from 'node:net'
import path from 'node:path'

import {findBinaries} from '../../../src/lib/local/binaries.js'
import {Cluster, PortInUseError} from '../../../src/lib/local/cluster.js'
import {freePort} from '../../../src/lib/local/processes.js'
import {reachableBinaries, SHARED_BASE} from '../../../src/lib/local/reachable.js'
import {giveTo, serverUser} from '../../../src/lib/local/server-user.js'
import {removeDataDir, tempDataDir} from '../../support/local.js'

describe('Cluster', function () {
  let scratch: string
  let cluster: Cluster

  beforeEach(async function () {
    scratch = await tempDataDir()
    const owner = await serverUser()
    const binaries = await reachableBinaries(await findBinaries(), owner, SHARED_BASE, () => {})
    await mkdir(scratch)
    await giveTo(owner, scratch)
    cluster = new Cluster(path.join(scratch, 'cluster'), binaries, owner)
  })

  afterEach(async function () {
    await cluster.stop()
    await removeDataDir(scratch)
  })

  it('says that openssl is needed when it cannot be found', async function () {
    const saved = process.env.PATH
    process.env.PATH = path.join(scratch, 'nothing-here')
    try {
      const error = await cluster.initialise({
        password: 'pw', ssl: true, superuser: 'owner', sync: false,
      }).then(() => {}, (error_: Error) => error_)
      expect(error?.message).to.equal('openssl is needed once, to make the local server\'s SSL certificate: install it (e.g. apt-get install openssl) and run the command again')
    } finally {
      process.env.PATH = saved
    }
  })

  it('reports a port another program listens on, and leaves no server behind', async function () {
    await cluster.initialise({
      password: 'pw', ssl: false, superuser: 'owner', sync: false,
    })
    const port = await freePort()
    const squatter: Server = createServer()
    await new Promise<void>(resolve => {
      squatter.listen(port, '127.0.0.1', resolve)
    })
    try {
      const error = await cluster.start(port).then(() => {}, (error_: Error) => error_)
      expect(error).to.be.instanceOf(PortInUseError)
      expect(error?.message).to.equal(`port ${port} on 127.0.0.1 is in use by another program`)
      expect(cluster.state()).to.equal(undefined)
    } finally {
      squatter.close()
    }

    const state = await cluster.start(port)
    expect(state).to.include({port, status: 'ready'})
    await cluster.stop()
    expect(existsSync(path.join(cluster.dataDir, 'postmaster.pid'))).to.equal(false)
  })
})
