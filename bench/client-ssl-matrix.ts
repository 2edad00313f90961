/**
 * Which database URL forms and PGSSLMODE values work with psql, psycopg2,
 * SQLAlchemy and node-postgres against an SSL-only server with a self-signed
 * certificate (as Heroku's are). The table in the README ("Why this form")
 * comes from this. Python clients need python3-psycopg2 and
 * python3-sqlalchemy (apt); rows for a missing client say so.
 *
 *   node --import tsx bench/client-ssl-matrix.ts
 */
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'

import {startPostgres} from '../test/support/postgres.js'

const exec = promisify(execFile)
const pg = await startPostgres()
const heroku = pg.url
const plain = heroku.replace(/^postgres:/, 'postgresql:')
// lists of [name, value], not objects: the rows print in this order, the README table's
const urls: Array<[string, string]> = [
  ['postgres:// (Heroku)', heroku],
  ['postgresql://', plain],
  ['?sslmode=require', `${plain}?sslmode=require`],
  ['?sslmode=no-verify', `${plain}?sslmode=no-verify`],
  ['?uselibpqcompat=true&sslmode=require', `${plain}?uselibpqcompat=true&sslmode=require`],
]
const modes: Array<[string, Record<string, string>]> = [['', {}], ['PGSSLMODE=require', {PGSSLMODE: 'require'}], ['PGSSLMODE=no-verify', {PGSSLMODE: 'no-verify'}]]
const QUERY = 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'
const node = (config: string): [string, string[]] => ['node', ['-e', `const pg = require('pg'); const c = new pg.Client(${config})
c.connect().then(() => c.query("${QUERY}")).then(r => { console.log(r.rows[0].ssl); return c.end() }).catch(e => { console.error(e.message); process.exit(1) })`]]
const python = (code: string): [string, string[]] => ['/usr/bin/python3', ['-c', `import os\n${code}`]]
const clients: Array<[string, [string, string[]]]> = [
  ['psql', ['psql', []]],
  ['psycopg2', python(`import psycopg2; c = psycopg2.connect(os.environ['URL']); cur = c.cursor(); cur.execute("${QUERY}"); print(cur.fetchone()[0])`)],
  ['SQLAlchemy', python(`import sqlalchemy; e = sqlalchemy.create_engine(os.environ['URL']); print(e.connect().execute(sqlalchemy.text("${QUERY}")).scalar())`)],
  ['pg, URL only', node('{connectionString: process.env.URL}')],
  ['pg, URL + ssl: {rejectUnauthorized: false}', node('{connectionString: process.env.URL, ssl: {rejectUnauthorized: false}}')],
]

function lastLine(error: unknown): string {
  const text = String((error as {stderr?: string}).stderr || (error as Error).message)
  const lines = text.split('\n').map(l => l.trim()).filter(l => l && !/^(Traceback|File |\^|at |\(Background)/.test(l))
  return (lines.at(-1) ?? '').replaceAll(pg.password, '***').replaceAll(pg.user, 'USER').slice(0, 100)
}

for (const [client, [command, args]] of clients) {
  for (const [urlName, url] of urls) {
    for (const [modeName, mode] of modes) {
      const argv = command === 'psql' ? ['-Atc', QUERY, url] : args
      let outcome: string
      try {
        const {stdout} = await exec(command, argv, {
          env: {
            HOME: '/tmp', PATH: process.env.PATH, URL: url, ...mode,
          },
        })
        outcome = `works (ssl=${stdout.trim()})`
      } catch (error) {
        outcome = `fails: ${lastLine(error)}`
      }

      console.log([client, urlName, modeName || '(no PGSSLMODE)', outcome].join(' | '))
    }
  }
}

await pg.stop()
