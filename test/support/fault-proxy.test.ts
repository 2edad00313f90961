import {expect} from 'chai'
import pg from 'pg'

import {FaultProxy} from './fault-proxy.js'
import {getWorld} from './world.js'

async function connect(url: string, ssl?: pg.ClientConfig['ssl']): Promise<pg.Client> {
  const client = new pg.Client({connectionString: url, ssl: ssl === undefined ? {rejectUnauthorized: false} : ssl})
  client.on('error', () => {})
  await client.connect()
  return client
}

async function failure(promise: Promise<unknown>): Promise<Error & {code?: string}> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }

  throw new Error('expected a failure')
}

describe('fault proxy', function () {
  let proxy: FaultProxy

  before(async function () {
    const {pg: server} = getWorld()
    proxy = await FaultProxy.start({host: server.host, port: server.port})
    await server.query('CREATE TABLE IF NOT EXISTS proxy_probe (n int)')
    await server.query(`ALTER TABLE proxy_probe OWNER TO "${server.user}"`)
  })

  beforeEach(async function () {
    proxy.reset()
    await proxy.setFault({kind: 'pass'})
    await getWorld().pg.query('TRUNCATE proxy_probe')
  })

  after(async function () {
    await proxy?.stop()
    await getWorld().pg.query('DROP TABLE IF EXISTS proxy_probe')
  })

  it('passes a TLS session through and records its queries and byte counts', async function () {
    const client = await connect(proxy.url(getWorld().pg.url))
    const {rows} = await client.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')
    await client.query('SELECT $1::int AS n', [7])
    await client.end()
    expect(rows).to.deep.equal([{ssl: true}])
    const [connection] = proxy.connections
    expect(connection.sslRequested).to.equal(true)
    expect(connection.queries).to.deep.equal(['SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()', 'SELECT $1::int AS n'])
    expect(connection.messages[0]).to.deep.equal({sql: undefined, type: 'startup'})
    expect(connection.up).to.be.greaterThan(100)
    expect(connection.down).to.be.greaterThan(100)
  })

  it('cuts only the connection a fault names, and says so in its record', async function () {
    await proxy.setFault({
      atMessage: /^SELECT 2/, connection: 2, direction: 'up', kind: 'cut',
    })
    const url = proxy.url(getWorld().pg.url)
    const [first, second] = [await connect(url), await connect(url)]
    await first.query('SELECT 2')
    expect(await failure(second.query('SELECT 2'))).to.be.an('error')
    await first.end()
    expect(proxy.connections.map(c => c.cut)).to.deep.equal([false, true])
  })

  it('refuses connections until another fault is set', async function () {
    await proxy.setFault({kind: 'refuse'})
    expect((await failure(connect(proxy.url(getWorld().pg.url)))).code).to.equal('ECONNREFUSED')
    await proxy.setFault({kind: 'pass'})
    await (await connect(proxy.url(getWorld().pg.url))).end()
  })

  it('delays every chunk', async function () {
    await proxy.setFault({kind: 'delay', ms: 50})
    const started = Date.now()
    const client = await connect(proxy.url(getWorld().pg.url))
    await client.query('SELECT 1')
    await client.end()
    // startup, two SCRAM steps and a query, each way: at least eight delayed chunks in turn
    expect(Date.now() - started).to.be.at.least(400)
  })

  it('cuts before a message reaches the server: the statement never ran', async function () {
    await proxy.setFault({atMessage: /INSERT/, direction: 'up', kind: 'cut'})
    const client = await connect(proxy.url(getWorld().pg.url))
    expect((await failure(client.query('INSERT INTO proxy_probe VALUES (1)'))).message).to.match(/Connection terminated/)
    expect(await getWorld().pg.query('SELECT n FROM proxy_probe')).to.deep.equal([])
    expect(proxy.connections[0].cut).to.equal(true)
  })

  it('cuts after the server answered: the statement ran, the client never heard', async function () {
    await proxy.setFault({atMessage: /INSERT/, direction: 'down', kind: 'cut'})
    const client = await connect(proxy.url(getWorld().pg.url))
    expect((await failure(client.query('INSERT INTO proxy_probe VALUES (1)'))).message).to.match(/Connection terminated/)
    expect(await getWorld().pg.query('SELECT n FROM proxy_probe')).to.deep.equal([{n: 1}])
  })

  it('cuts after N bytes in either direction', async function () {
    await proxy.setFault({afterBytes: 30, direction: 'up', kind: 'cut'})
    await failure(connect(proxy.url(getWorld().pg.url)))
    expect(proxy.connections[0].up).to.equal(30)
    await proxy.setFault({afterBytes: 10, direction: 'down', kind: 'cut'})
    await failure(connect(proxy.url(getWorld().pg.url)))
    expect(proxy.connections[1]).to.include({cut: true, down: 10})
  })

  describe('in front of a server without SSL', function () {
    it('answers the SSLRequest with the server\'s no, and records that the client asked', async function () {
      const {startPostgres} = await import('./postgres.js')
      const plain = await startPostgres({ssl: false})
      const plainProxy = await FaultProxy.start({host: plain.host, port: plain.port})
      try {
        expect((await failure(connect(plainProxy.url(plain.url)))).message).to.include('does not support SSL')
        const client = await connect(plainProxy.url(plain.url), false)
        await client.end()
        expect(plainProxy.connections.map(c => c.sslRequested)).to.deep.equal([true, false])
        expect(plainProxy.connections[1].firstBytes.toString('latin1')).to.include(plain.user)
      } finally {
        await plainProxy.stop()
        await plain.stop()
      }
    })
  })
})
