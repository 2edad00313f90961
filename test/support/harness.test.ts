import type {Config} from '@oclif/core'

import {APIClient} from '@heroku-cli/command'
import {utils} from '@heroku/heroku-cli-util'
import {expect} from 'chai'
import pg from 'pg'

import {snapshotEnv} from './env.js'
import {PlatformApi} from './platform-api.js'
import {startPostgres, TestPostgres} from './postgres.js'

const TOKEN = 'harness-token'

async function connectError(config: pg.ClientConfig): Promise<Error & {code?: string}> {
  const client = new pg.Client(config)
  try {
    await client.connect()
  } catch (error) {
    return error as Error & {code?: string}
  } finally {
    await client.end().catch(() => {})
  }

  throw new Error('connection unexpectedly succeeded')
}

async function queryAs<T>(connectionString: string, sql: string, ssl?: pg.ClientConfig['ssl']): Promise<T[]> {
  const client = new pg.Client({connectionString, ssl: ssl === undefined ? {rejectUnauthorized: false} : ssl})
  await client.connect()
  try {
    return (await client.query(sql)).rows as T[]
  } finally {
    await client.end()
  }
}

async function post(api: PlatformApi, path: string, body: unknown, token = TOKEN): Promise<{body: unknown; status: number;}> {
  const res = await fetch(api.url + path, {
    body: JSON.stringify(body),
    headers: {Accept: 'application/vnd.heroku+json; version=3', Authorization: `Bearer ${token}`, 'Content-Type': 'application/json'},
    method: 'POST',
  })
  return {body: await res.json(), status: res.status}
}

describe('test harness', function () {
  let db: TestPostgres

  before(async function () {
    db = await startPostgres()
  })

  after(async function () {
    await db?.stop()
  })

  describe('PostgreSQL with SSL', function () {
    it('accepts SSL connections as a non-superuser that owns the database', async function () {
      const [row] = await queryAs<{ssl: boolean; superuser: string; user: string;}>(
        db.url,
        "SELECT s.ssl, current_user AS user, current_setting('is_superuser') AS superuser FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()",
      )
      expect(row).to.deep.equal({ssl: true, superuser: 'off', user: db.user})
      const [owner] = await db.query<{owner: string}>('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = current_database()')
      expect(owner.owner).to.equal(db.user)
    })

    it('refuses plaintext connections with 28000, like Heroku', async function () {
      const error = await connectError({connectionString: db.url, ssl: false})
      expect(error.code).to.equal('28000')
      expect(error.message).to.include('no encryption')
    })

    it('rotates the password: the old URL stops working, the new one works', async function () {
      const oldUrl = db.url
      const newUrl = await db.rotatePassword()
      expect(db.url).to.equal(newUrl).and.not.equal(oldUrl)
      const error = await connectError({connectionString: oldUrl, ssl: {rejectUnauthorized: false}})
      expect(error.code).to.equal('28P01')
      const [row] = await queryAs<{one: number}>(newUrl, 'SELECT 1 AS one')
      expect(row.one).to.equal(1)
    })

    it('creates extra databases owned by the same user', async function () {
      const url = await db.createDatabase('harness_extra')
      const [row] = await queryAs<{db: string}>(url, 'SELECT current_database() AS db')
      expect(row.db).to.equal('harness_extra')
    })
  })

  describe('PostgreSQL without SSL', function () {
    let plain: TestPostgres

    before(async function () {
      plain = await startPostgres({ssl: false})
    })

    after(async function () {
      await plain?.stop()
    })

    it('accepts plaintext and refuses SSL', async function () {
      const [row] = await queryAs<{ssl: boolean}>(plain.url, 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()', false)
      expect(row.ssl).to.equal(false)
      const error = await connectError({connectionString: plain.url, ssl: {rejectUnauthorized: false}})
      expect(error.message).to.include('does not support SSL')
    })
  })

  describe('Platform API stand-in', function () {
    const api = new PlatformApi({token: TOKEN})
    // taken when the suite runs, after the root hooks set HEROKU_API_KEY, so later files still have it
    let restoreEnv: () => void

    before(async function () {
      restoreEnv = snapshotEnv()
      await api.start()
    })

    beforeEach(function () {
      api.reset()
      api.setApp({
        databases: [
          {aliases: ['HEROKU_POSTGRESQL_RED'], attachment: 'DATABASE', url: db.url},
          {attachment: 'HEROKU_POSTGRESQL_BLUE', plan: 'heroku-postgresql:shield-0', url: db.url.replace(/\/[^/]+$/, '/other')},
        ],
        name: 'my-app',
      })
    })

    afterEach(function () {
      restoreEnv()
    })

    after(async function () {
      await api.stop()
    })

    it('answers the attachment resolver with add-on plan and config vars', async function () {
      const res = await post(api, '/actions/addon-attachments/resolve', {addon_attachment: 'HEROKU_POSTGRESQL_BLUE', app: 'my-app'})
      expect(res.status).to.equal(200)
      const [attachment] = res.body as Array<Record<string, unknown>>
      expect(attachment).to.include({name: 'HEROKU_POSTGRESQL_BLUE', namespace: null})
      // Without Accept-Inclusion the real API leaves these out.
      expect(attachment).not.to.have.property('config_vars')

      const unknown = await post(api, '/actions/addon-attachments/resolve', {addon_attachment: 'NOPE', app: 'my-app'})
      expect(unknown).to.deep.equal({
        body: {id: 'not_found', message: "Couldn't find that add on attachment.", resource: 'add_on attachment'}, status: 404,
      })
      expect(api.requests.map(r => r.path)).to.deep.equal(['/actions/addon-attachments/resolve', '/actions/addon-attachments/resolve'])
    })

    it('401s a wrong token, 404s unknown apps and serves queued failures', async function () {
      expect(await post(api, '/actions/addon-attachments/resolve', {addon_attachment: 'DATABASE', app: 'my-app'}, 'wrong'))
      .to.deep.equal({body: {id: 'unauthorized', message: 'Invalid credentials provided.'}, status: 401})

      const headers = {Authorization: `Bearer ${TOKEN}`}
      const missing = await fetch(`${api.url}/apps/nope/config-vars`, {headers})
      expect(missing.status).to.equal(404)
      expect(await missing.json()).to.deep.equal({id: 'not_found', message: "Couldn't find that app.", resource: 'app'})

      api.failNext(429)
      const limited = await fetch(`${api.url}/apps/my-app`, {headers})
      expect(limited.status).to.equal(429)
      expect(await limited.json()).to.have.property('id', 'rate_limit')
      const ok = await fetch(`${api.url}/apps/my-app`, {headers})
      expect(await ok.json()).to.include({name: 'my-app'})
    })

    it('lets DatabaseResolver from @heroku/heroku-cli-util find the database', async function () {
      process.env.HEROKU_HOST = api.url
      process.env.HEROKU_API_KEY = TOKEN
      // Only the fields APIClient reads; a full oclif Config is not needed to talk HTTP.
      const heroku = new APIClient({platform: 'linux', version: '0.0.0'} as unknown as Config)
      const resolver = new utils.pg.DatabaseResolver(heroku)

      const primary = await resolver.getDatabase('my-app')
      expect(primary.url).to.equal(db.url)
      expect(primary.attachment?.addon.plan.name).to.equal('heroku-postgresql:essential-0')

      const byAlias = await resolver.getDatabase('my-app', 'HEROKU_POSTGRESQL_RED')
      expect(byAlias.attachment?.addon.id).to.equal(primary.attachment?.addon.id)

      const [row] = await queryAs<{one: number}>(primary.url, 'SELECT 1 AS one')
      expect(row.one).to.equal(1)

      let message = ''
      try {
        await resolver.getDatabase('my-app', 'PURPLE')
      } catch (error) {
        message = (error as Error).message
      }

      expect(message).to.match(/Unknown database: PURPLE\. Valid options are: DATABASE, HEROKU_POSTGRESQL_RED, HEROKU_POSTGRESQL_BLUE/)
    })
  })
})
