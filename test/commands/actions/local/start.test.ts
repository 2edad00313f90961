import {expect} from 'chai'
import {createServer, Server} from 'node:net'

import {freePort} from '../../../../src/lib/local/processes.js'
import {localQuery, removeDataDir, runIn, serverPid, tempDataDir} from '../../../support/local.js'
import {runBin} from '../../../support/run.js'

const URL_LINE = /^DATABASE_URL=(postgres:\/\/actions_local:[\da-f]+@127\.0\.0\.1:(\d+)\/postgres)\n$/

describe('actions:local:start', function () {
  let dataDir: string
  // a subprocess where it matters (the server outlives it; the URL is printed unredacted), in process elsewhere
  const bin = (argv: string[]) => runBin(argv, {env: {HEROKU_ACTIONS_DATA_DIR: dataDir}})
  const inProcess = (argv: string[]) => runIn(dataDir, argv)

  beforeEach(async function () {
    dataDir = await tempDataDir()
  })

  afterEach(async function () {
    await removeDataDir(dataDir)
  })

  it('keeps the server running and prints a DATABASE_URL that works over SSL only; --local commands use that server', async function () {
    const start = await bin(['actions:local:start'])
    expect(start.exitCode, start.stderr).to.equal(0)
    const [, url, port] = URL_LINE.exec(start.stdout) ?? []
    expect(url, start.stdout).to.be.a('string')
    expect(start.stderr).to.include(`The local database runs on 127.0.0.1:${port} until heroku actions:local:stop.`)
    const pid = serverPid(dataDir)
    expect((await inProcess(['actions:init', '--local'])).exitCode).to.equal(0)
    expect((await inProcess(['actions:add', 'deploy', '/api/deploy', '--local'])).exitCode).to.equal(0)
    expect(serverPid(dataDir), 'the same server, still running').to.equal(pid)
    expect(await localQuery(url, 'SELECT action FROM actions')).to.deep.equal([{action: 'deploy'}])
    const pg = await import('pg')
    const plain = new pg.default.Client({connectionString: url, ssl: false})
    const refused = await plain.connect().then(() => undefined, (error: Error & {code?: string}) => error)
    await plain.end().catch(() => {})
    expect(refused?.code).to.equal('28000')
  })

  it('says when it was already running, and restarts on the same port with the data kept', async function () {
    const first = await bin(['actions:local:start'])
    const again = await bin(['actions:local:start'])
    expect(again.stdout).to.equal(first.stdout)
    expect(again.stderr).to.include('was already running')
    const [, url] = URL_LINE.exec(first.stdout) ?? []
    await localQuery(url, 'CREATE TABLE kept (x int)')
    expect((await inProcess(['actions:local:stop'])).exitCode).to.equal(0)
    expect(serverPid(dataDir)).to.equal(undefined)
    const restart = await bin(['actions:local:start'])
    expect(restart.stdout, 'same URL, so a .env file stays right').to.equal(first.stdout)
    expect(await localQuery(url, "SELECT to_regclass('kept') IS NOT NULL AS kept")).to.deep.equal([{kept: true}])
  })

  it('says which port is taken by another program, and starts nothing', async function () {
    const port = await freePort()
    const squatter: Server = createServer()
    await new Promise<void>(resolve => {
      squatter.listen(port, '127.0.0.1', resolve)
    })
    try {
      const {exitCode, stderr, stdout} = await bin(['actions:local:start', '--port', String(port)])
      expect(exitCode).to.equal(1)
      expect(stdout).to.equal('')
      expect(stderr).to.include(`port ${port} on 127.0.0.1 is in use by another program: stop that program, or choose another port with heroku actions:local:start --port PORT`)
      expect(serverPid(dataDir)).to.equal(undefined)
    } finally {
      squatter.close()
    }
  })
})
