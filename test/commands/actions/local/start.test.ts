import {expect} from 'chai'
import {readFile} from 'node:fs/promises'
import {createServer, Server} from 'node:net'
import pg from 'pg'

import {freePort} from '../../../../src/lib/local/processes.js'
import {queryUrl} from '../../../support/databases.js'
import {serverPid, useDataDir} from '../../../support/local.js'

const URL_LINE = /^DATABASE_URL=(postgres:\/\/actions_local:[\da-f]+@127\.0\.0\.1:(\d+)\/postgres)\n$/

describe('actions:local:start', function () {
  // a subprocess where it matters (a server that outlives it, a URL printed unredacted), in process elsewhere
  const data = useDataDir()

  it('keeps the server running and prints a DATABASE_URL that works over SSL only; --local commands use that server', async function () {
    const start = await data.bin(['actions:local:start'])
    expect(start.exitCode, start.stderr).to.equal(0)
    const [, url, port] = URL_LINE.exec(start.stdout) ?? []
    expect(url, start.stdout).to.be.a('string')
    expect(start.stderr).to.include(`The local database runs on 127.0.0.1:${port} until heroku actions:local:stop.`)
    const pid = serverPid(data.dir)
    expect((await data.inProcess(['actions:init', '--local'])).exitCode).to.equal(0)
    expect((await data.inProcess(['actions:add', 'deploy', '/api/deploy', '--local'])).exitCode).to.equal(0)
    expect(serverPid(data.dir), 'the same server, still running').to.equal(pid)
    expect(await queryUrl(url, 'SELECT action FROM actions')).to.deep.equal([{action: 'deploy'}])
    const plain = new pg.Client({connectionString: url, ssl: false})
    const refused = await plain.connect().then(() => {}, (error: Error & {code?: string}) => error)
    await plain.end().catch(() => {})
    expect(refused?.code).to.equal('28000')
  })

  it('says when it was already running, and restarts on the same port with the data kept', async function () {
    const first = await data.bin(['actions:local:start'])
    const again = await data.bin(['actions:local:start'])
    expect(again.stdout).to.equal(first.stdout)
    expect(again.stderr).to.include('was already running')
    const [, url] = URL_LINE.exec(first.stdout) ?? []
    await queryUrl(url, 'CREATE TABLE kept (x int)')
    expect((await data.inProcess(['actions:local:stop'])).exitCode).to.equal(0)
    expect(serverPid(data.dir)).to.equal(undefined)
    const restart = await data.bin(['actions:local:start'])
    expect(restart.stdout, 'same URL, so a .env file stays right').to.equal(first.stdout)
    expect(await queryUrl(url, "SELECT to_regclass('kept') IS NOT NULL AS kept")).to.deep.equal([{kept: true}])
  })

  it('--port starts on the port asked for, and moves a running server to another port, keeping the data', async function () {
    this.timeout(90_000)
    const [first, second] = [await freePort(), await freePort()]
    const start = await data.bin(['actions:local:start', '--port', String(first)])
    expect(start.exitCode, start.stderr).to.equal(0)
    expect(URL_LINE.exec(start.stdout)?.[2]).to.equal(String(first))
    const [, url] = URL_LINE.exec(start.stdout) ?? []
    await queryUrl(url, 'CREATE TABLE kept (x int)')
    const moved = await data.bin(['actions:local:start', '--port', String(second)])
    expect(moved.exitCode, moved.stderr).to.equal(0)
    const [, movedUrl, movedPort] = URL_LINE.exec(moved.stdout) ?? []
    expect(movedPort).to.equal(String(second))
    expect(await queryUrl(movedUrl, "SELECT to_regclass('kept') IS NOT NULL AS kept")).to.deep.equal([{kept: true}])
    // nothing listens on the old port any more
    const old = new pg.Client({connectionString: url, connectionTimeoutMillis: 5000, ssl: {rejectUnauthorized: false}})
    const refused = await old.connect().then(() => {}, (error: Error & {code?: string}) => error)
    await old.end().catch(() => {})
    expect(refused?.code).to.equal('ECONNREFUSED')
    expect((await data.inProcess(['actions:local:stop'])).exitCode).to.equal(0)
  })

  it('says which port is taken by another program, and starts nothing', async function () {
    const port = await freePort()
    const squatter: Server = createServer()
    await new Promise<void>(resolve => {
      squatter.listen(port, '127.0.0.1', resolve)
    })
    try {
      const {exitCode, stderr, stdout} = await data.bin(['actions:local:start', '--port', String(port)])
      expect(exitCode).to.equal(1)
      expect(stdout).to.equal('')
      expect(stderr).to.include(`port ${port} on 127.0.0.1 is in use by another program: stop that program, or choose another port with heroku actions:local:start --port PORT`)
      expect(serverPid(data.dir)).to.equal(undefined)
    } finally {
      squatter.close()
    }
  })

  // #14: --port 81 said "in use by another program"; nothing listened there, the bind was refused
  it('says a port below 1024 is refused to the server, not in use', async function () {
    const unprivileged = Number(await readFile('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').catch(() => '1024'))
    if (unprivileged <= 81) {
      // the refusal this checks cannot happen where anyone may bind port 81
      console.log(`      skipped: ip_unprivileged_port_start is ${unprivileged}, so port 81 is not refused here`)
      this.skip()
    }

    const {exitCode, stderr} = await data.bin(['actions:local:start', '--port', '81'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.include('the server may not listen on port 81 on 127.0.0.1 (permission denied')
    expect(stderr).to.include('choose a port from 1024 up with heroku actions:local:start --port PORT')
    expect(stderr).not.to.include('in use')
    expect(serverPid(data.dir)).to.equal(undefined)
  })
})
