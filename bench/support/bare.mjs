// The floor for a Node tool doing one command's database work from far away:
// one Platform API call for the config vars, an SSL connection, the
// command's statement (or COPY), print, exit. No framework, no checks.
//   HEROKU_HOST=... HEROKU_API_KEY=... node bench/support/bare.mjs APP sql "SELECT ..." [param...]
//   ... bare.mjs APP copy-in FILE | copy-out
import {createReadStream} from 'node:fs'
import {pipeline} from 'node:stream/promises'
import pg from 'pg'
import copyStreams from 'pg-copy-streams'

const [app, mode, ...rest] = process.argv.slice(2)
const response = await fetch(`${process.env.HEROKU_HOST}/apps/${app}/config-vars`, {
  headers: {accept: 'application/vnd.heroku+json; version=3', authorization: `Bearer ${process.env.HEROKU_API_KEY}`},
})
const {DATABASE_URL: url} = await response.json()
const client = new pg.Client({connectionString: url, ssl: {rejectUnauthorized: false}})
await client.connect()
if (mode === 'sql') {
  const {rows} = await client.query(rest[0], rest.slice(1))
  for (const row of rows) console.log(Object.values(row).join('\t'))
} else if (mode === 'copy-in') {
  await pipeline(createReadStream(rest[0]), client.query(copyStreams.from('COPY actions (action, path, status) FROM STDIN WITH (FORMAT csv, HEADER)')))
} else {
  await pipeline(client.query(copyStreams.to('COPY (SELECT * FROM actions ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)')), process.stdout)
}

await client.end()
