import {execFileSync} from 'node:child_process'
import {startPostgres} from '../test/support/postgres.js'
import {MIGRATIONS} from '../src/lib/actions/migrations.js'
const pg = await startPostgres()
for (const m of MIGRATIONS) for (const s of m.sql) await pg.query(s)
await pg.query(`INSERT INTO actions (action, path, status, created_at, updated_at) SELECT 'deploy-' || (i % 100), '/api/items/' || i, i % 3 = 0, now() - i * interval '1 second', now() FROM generate_series(1, 1000000) i`)
await pg.query('VACUUM ANALYZE actions')
const env = {...process.env, PGSSLMODE: 'require'}
const iso = (c: string) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
const tj = (c: string) => `to_json(${c}) #>> '{}'`
const variants: Record<string, string> = {
  baseline: `\\copy actions TO STDOUT WITH (FORMAT csv, HEADER)`,
  native_order: `\\copy (SELECT id, action, path, status::text AS status, created_at, updated_at FROM actions ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)`,
  tojson_order: `\\copy (SELECT id, action, path, status::text AS status, ${tj('created_at')} AS created_at, ${tj('updated_at')} AS updated_at FROM actions ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)`,
  json_native: `\\copy (SELECT row_to_json(r)::text FROM (SELECT id, action, path, status, created_at, updated_at FROM actions ORDER BY id) r) TO STDOUT WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`,
  json_build: `\\copy (SELECT json_build_object('id', id, 'action', action, 'path', path, 'status', status, 'created_at', created_at, 'updated_at', updated_at)::text FROM actions ORDER BY id) TO STDOUT WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`,
}
for (let round = 0; round < 3; round++) for (const [name, sql] of Object.entries(variants)) {
  const t = performance.now()
  execFileSync('psql', [pg.adminUrl, '-X', '-q', '-c', 'SET TIME ZONE UTC', '-c', sql], {env, stdio: ['ignore', 'ignore', 'inherit']})
  console.log(round, name.padEnd(16), Math.round(performance.now() - t))
}
console.log(execFileSync('psql', [pg.adminUrl, '-X', '-At', '-c', "SET TIME ZONE UTC", '-c', 'SELECT created_at, row_to_json(a)::text FROM actions a LIMIT 1'], {env}).toString())
await pg.stop()
