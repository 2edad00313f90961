// The floor for any Node tool doing what `actions:list --limit 10` does: one
// Platform API call for the config vars, an SSL connection, one query, print.
// No CLI framework, no resolution of attachments, no checks.
//   HEROKU_HOST=... HEROKU_API_KEY=... node bench/support/minimal-list.mjs APP
import pg from 'pg'

const app = process.argv[2]
const response = await fetch(`${process.env.HEROKU_HOST}/apps/${app}/config-vars`, {
  headers: {accept: 'application/vnd.heroku+json; version=3', authorization: `Bearer ${process.env.HEROKU_API_KEY}`},
})
const {DATABASE_URL: url} = await response.json()
const client = new pg.Client({connectionString: url, ssl: {rejectUnauthorized: false}})
await client.connect()
const {rows} = await client.query('SELECT id, action, path, status FROM actions ORDER BY id LIMIT 10')
for (const row of rows) console.log(`${row.id}\t${row.action}\t${row.path}\t${row.status}`)
await client.end()
