import {expect} from 'chai'

import {Database} from '../../../src/lib/db/database.js'
import {UserError} from '../../../src/lib/errors.js'
import {startPostgres, type TestPostgres} from '../../support/postgres.js'
import {silentServer} from '../../support/tcp.js'
import {getWorld} from '../../support/world.js'

interface Backend {
  application_name: string
  ssl: boolean
}

/** How the server sees our own connection. */
async function backend(db: Database): Promise<Backend> {
  const {rows} = await db.query<Backend>('SELECT a.application_name, s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.pid = pg_backend_pid()')
  return rows[0]
}

async function connectError(url: string, options: Parameters<typeof Database.connect>[1] = {}): Promise<UserError> {
  let db: Database | undefined
  try {
    db = await Database.connect(url, options)
  } catch (error) {
    expect(error).to.be.instanceOf(UserError)
    return error as UserError
  } finally {
    await db?.close()
  }

  throw new Error('the connection unexpectedly succeeded')
}

async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map(key => [key, process.env[key]]))
  const apply = (values: Record<string, string | undefined>): void => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }

  apply(vars)
  try {
    return await fn()
  } finally {
    apply(saved)
  }
}

function onLocalhost(url: string): string {
  const parsed = new URL(url)
  parsed.hostname = 'localhost'
  return parsed.toString()
}

describe('Database', function () {
  describe('on an SSL-only server (like Heroku)', function () {
    // In node-postgres any of these in the connection string would replace the
    // ssl option: sslmode=require turns into certificate verification (fails
    // against Heroku), disable and ssl=false into plaintext (refused).
    for (const query of ['?sslmode=require', '?sslmode=disable', '?ssl=false', '?sslmode=verify-full', '?sslmode=require&uselibpqcompat=false']) {
      it(`ignores ${query} in the URL: still encrypted, still connects`, async function () {
        const db = await Database.connect(getWorld().pg.url + query)
        try {
          expect(db.encrypted).to.equal(true)
          expect(await backend(db)).to.deep.equal({application_name: 'heroku-actions', ssl: true})
        } finally {
          await db.close()
        }
      })
    }

    it('refuses a self-signed certificate under verify-full, with one line saying what to do', async function () {
      const error = await connectError(getWorld().pg.url, {sslMode: 'verify-full'})
      expect(error.message).to.match(/^the database's TLS certificate could not be verified \(\w+\); .*PGSSLMODE=require/)
      expect(error.message).not.to.include('\n')
    })

    it('verifies the certificate and host name under verify-full with PGSSLROOTCERT', async function () {
      const {pg} = getWorld()
      const db = await withEnv({PGSSLROOTCERT: pg.certFile}, () => Database.connect(onLocalhost(pg.url), {sslMode: 'verify-full'}))
      try {
        expect(await backend(db)).to.include({ssl: true})
      } finally {
        await db.close()
      }
    })

    it('refuses under verify-full when the host name does not match the certificate (CN=localhost)', async function () {
      const {pg} = getWorld()
      const error = await withEnv({PGSSLROOTCERT: pg.certFile}, () => connectError(pg.url, {sslMode: 'verify-full'}))
      expect(error.message).to.include('ERR_TLS_CERT_ALTNAME_INVALID')
    })
  })

  describe('on a loopback server without SSL', function () {
    let plain: TestPostgres

    before(async function () {
      this.timeout(60_000)
      plain = await startPostgres({ssl: false})
    })

    after(async function () {
      await plain?.stop()
    })

    it('falls back to plaintext (libpq prefer)', async function () {
      const db = await Database.connect(plain.url)
      try {
        expect(db.encrypted).to.equal(false)
        expect(await backend(db)).to.deep.equal({application_name: 'heroku-actions', ssl: false})
      } finally {
        await db.close()
      }
    })

    it('refuses when PGSSLMODE=require asks for SSL', async function () {
      const error = await withEnv({PGSSLMODE: 'require'}, () => connectError(plain.url))
      expect(error.message).to.match(new RegExp(`^the database at 127\\.0\\.0\\.1:${plain.port} does not offer SSL, which is required `))
    })
  })

  describe('a server that never answers', function () {
    it('gives up after PGCONNECT_TIMEOUT, naming host and port but no credential', async function () {
      const trap = await silentServer()
      try {
        const url = `postgres://secret_user_42:secret-password-42@127.0.0.1:${trap.port}/some_db`
        const error = await withEnv({PGCONNECT_TIMEOUT: '1'}, () => connectError(url))
        expect(error.message).to.match(new RegExp(`^timed out after 1 s connecting to the database at 127\\.0\\.0\\.1:${trap.port}; `))
        for (const secret of ['secret_user_42', 'secret-password-42', 'some_db']) expect(error.message).not.to.include(secret)
        expect(trap.connections).to.equal(1)
      } finally {
        await trap.close()
      }
    })
  })
})
