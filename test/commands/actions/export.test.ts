import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {readdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {appWithActions, LIST_SAMPLE} from '../../support/actions.js'
import {parseCsv} from '../../support/csv.js'
import {FaultProxy} from '../../support/fault-proxy.js'
import {ROOT, run, runBin} from '../../support/run.js'
import {forEachTarget, remote, TestTarget} from '../../support/targets.js'
import {useTempDir} from '../../support/temp-dir.js'
import {APP, getWorld} from '../../support/world.js'

const HEADER = 'id,action,path,status,created_at,updated_at'

/** An exported row, with every value as text (as CSV has them). */
interface Exported {
  action: string
  created_at: string
  id: string
  path: string
  status: string
  updated_at: string
}

/** Values a CSV writer or a line-based reader gets wrong. */
const HOSTILE = [
  'say "hi", then leave',
  'two\nlines',
  'cr\r\nlf\r',
  'tab\there',
  'back\\slash \\N \\. \\\\',
  '"',
  ',',
  String.raw`\.`,
  ' edge spaces ',
  'emoji 😀👩‍👩‍👧 ok',
  'עברית RTL \u202Eevil\u202C',
  'controls \u0001\u0002\u001B[2J\u007F\u0085',
  '\u2028\u2029',
  'é'.repeat(255),
  '😀'.repeat(255),
  '{"json":[1,2]}',
]

function fromCsv(text: string): Exported[] {
  const [header, ...records] = parseCsv(text)
  expect(header.join(',')).to.equal(HEADER)
  return records.map(values => Object.fromEntries(header.map((name, i) => [name, values[i]])) as unknown as Exported)
}

function fromNdjson(text: string): Exported[] {
  if (text === '') return []
  expect(text.endsWith('\n'), 'ends with a line feed').to.equal(true)
  return text.slice(0, -1).split('\n').map(line => {
    const row = JSON.parse(line)
    expect(Object.keys(row)).to.deep.equal(HEADER.split(','))
    expect(row.id).to.be.a('number')
    expect(row.status).to.be.a('boolean')
    return {...row, id: String(row.id), status: String(row.status)}
  })
}

/**
 * How many rows of the table the export does not hold exactly, and how many
 * it holds that the table does not: both 0 when it loads back unchanged.
 * The server parses the exported text (timestamps to the microsecond).
 */
async function difference(target: TestTarget, rows: Exported[]): Promise<{extra: number; missing: number}> {
  const column = (name: keyof Exported) => rows.map(row => row[name])
  const [result] = await target.query<{extra: number; missing: number}>(
    `
    WITH e AS (SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::boolean[], $5::timestamptz[], $6::timestamptz[])
               AS e(id, action, path, status, created_at, updated_at)),
         a AS (SELECT id, action::text, path::text, status, created_at, updated_at FROM actions)
    SELECT (SELECT count(*) FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM e) x)::int AS missing,
           (SELECT count(*) FROM (SELECT * FROM e EXCEPT ALL SELECT * FROM a) y)::int AS extra`,
    [column('id'), column('action'), column('path'), column('status'), column('created_at'), column('updated_at')],
  )
  return result
}

/** PostgreSQL's ISO output in UTC, as psql shows it: the fraction has the digits it needs */
const PG_UTC = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?\+00$/

forEachTarget('actions:export', function (target) {
  async function exported(...flags: string[]): Promise<string> {
    const {exitCode, stderr, stdout} = await run(['actions:export', ...target.flags, ...flags])
    expect(exitCode, stderr).to.equal(0)
    return stdout
  }

  const ids = (rows: Exported[]) => rows.map(row => Number(row.id))

  beforeEach(async function () {
    await appWithActions(LIST_SAMPLE, target)
    // microseconds that milliseconds would lose, and updated_at apart from created_at
    await target.query(`UPDATE actions SET created_at = '2026-01-02 03:04:05.123456+00'::timestamptz + id * interval '1.000001 s',
      updated_at = '2026-06-30 23:59:59.999999+00'::timestamptz - id * interval '1 us'`)
  })

  it('writes CSV by default: the header, then every row as the table holds it, to the microsecond', async function () {
    const text = await exported()
    expect(text.split('\n', 1)[0]).to.equal(HEADER)
    expect(text.split('\n')[2]).to.equal('2,backup,/api/backup,true,2026-01-02 03:04:07.123458+00,2026-06-30 23:59:59.999997+00')
    const rows = fromCsv(text)
    expect(ids(rows)).to.deep.equal([1, 2, 3, 4])
    for (const row of rows) expect(row.created_at).to.match(PG_UTC)
    expect(await difference(target, rows)).to.deep.equal({extra: 0, missing: 0})
  })

  it('writes NDJSON with --format ndjson: one object a line, the keys and types of list --json, the same timestamps', async function () {
    const text = await exported('--format', 'ndjson')
    const rows = fromNdjson(text)
    expect(ids(rows)).to.deep.equal([1, 2, 3, 4])
    expect(rows[1]).to.include({created_at: '2026-01-02T03:04:07.123458+00:00', updated_at: '2026-06-30T23:59:59.999997+00:00'})
    expect(await difference(target, rows)).to.deep.equal({extra: 0, missing: 0})
    const listed = JSON.parse(await (async () => (await run(['actions:list', ...target.flags, '--json'])).stdout)())
    expect(listed).to.deep.equal(text.trimEnd().split('\n').map(line => JSON.parse(line)))
    const {stdout: csv} = await run(['actions:list', ...target.flags, '--csv'])
    expect(csv).to.equal(await exported())
  })

  it('takes the filters of actions:list: status, action, path prefix (% and _ as plain characters), limit', async function () {
    const cases: Array<[string[], number[]]> = [
      [['--status', 'done'], [2]],
      [['--status', 'pending'], [1, 3, 4]],
      [['--action', 'deploy'], [1, 3]],
      [['--path', '/api/'], [1, 2]],
      [['--path', '/api_'], [4]],
      [['--path', '%'], []],
      [['--limit', '2'], [1, 2]],
      [['--status', 'pending', '--path', '/api', '--limit', '2'], [1, 4]],
    ]
    for (const [flags, expected] of cases) {
      expect(ids(fromCsv(await exported(...flags))), flags.join(' ')).to.deep.equal(expected)
      expect(ids(fromNdjson(await exported('--format', 'ndjson', ...flags))), flags.join(' ')).to.deep.equal(expected)
    }
  })

  it('round-trips hostile values through a strict CSV and JSON parse', async function () {
    await target.query('INSERT INTO actions (action, path, status) SELECT v, reverse(v), true FROM unnest($1::text[]) v', [HOSTILE])
    const [{count}] = await target.query<{count: number}>('SELECT count(*)::int AS count FROM actions')
    for (const rows of [fromCsv(await exported()), fromNdjson(await exported('--format', 'ndjson'))]) {
      expect(rows).to.have.length(count)
      expect(rows.slice(4).map(row => row.action)).to.deep.equal(HOSTILE)
      expect(await difference(target, rows)).to.deep.equal({extra: 0, missing: 0})
    }
  })

  it('writes only the header (CSV) or nothing (NDJSON) for no rows', async function () {
    await target.query('DELETE FROM actions')
    expect(await exported()).to.equal(`${HEADER}\n`)
    expect(await exported('--format', 'ndjson')).to.equal('')
    expect(await exported('--action', 'nothing')).to.equal(`${HEADER}\n`)
  })

  describe('--output', function () {
    const temp = useTempDir('export-')

    it('writes the file and nothing to stdout; .ndjson and .jsonl mean NDJSON', async function () {
      for (const [name, read] of [['a.csv', fromCsv], ['b.ndjson', fromNdjson], ['c.jsonl', fromNdjson], ['d.txt', fromCsv]] as const) {
        const file = path.join(temp.dir(), name)
        expect(await exported('--output', file), name).to.equal('')
        expect(ids(read(await readFile(file, 'utf8'))), name).to.deep.equal([1, 2, 3, 4])
      }

      expect(await readdir(temp.dir())).to.have.members(['a.csv', 'b.ndjson', 'c.jsonl', 'd.txt'])
      expect(await exported('--output', path.join(temp.dir(), 'e.ndjson'), '--format', 'csv')).to.equal('')
      expect(ids(fromCsv(await readFile(path.join(temp.dir(), 'e.ndjson'), 'utf8')))).to.deep.equal([1, 2, 3, 4])
    })

    it('refuses to replace a file unless --force', async function () {
      const file = path.join(temp.dir(), 'a.csv')
      await writeFile(file, 'keep me')
      const {error, exitCode} = await run(['actions:export', ...target.flags, '--output', file])
      expect(exitCode).to.equal(1)
      expect(error?.message).to.equal(`${file} already exists: pass --force to replace it, or choose another --output`)
      expect(await readFile(file, 'utf8')).to.equal('keep me')
      await exported('--output', file, '--force')
      expect(ids(fromCsv(await readFile(file, 'utf8')))).to.deep.equal([1, 2, 3, 4])
      expect(await readdir(temp.dir())).to.deep.equal(['a.csv'])
    })

    it('leaves no file, not even a temporary one, when the table is missing, and says to run actions:init', async function () {
      await target.fresh()
      const file = path.join(temp.dir(), 'a.csv')
      const {error, exitCode, stdout} = await run(['actions:export', ...target.flags, '--output', file])
      expect(exitCode).to.equal(1)
      expect(error?.message).to.match(new RegExp(`the actions table does not exist .*: run ${target.initCommand}$`))
      expect(stdout).to.equal('')
      expect(await readdir(temp.dir())).to.deep.equal([])
    })
  })

  it('prints the summary on stderr with --progress, and nothing on stderr otherwise when it is not a terminal', async function () {
    const quiet = await runBin(['actions:export', ...target.flags])
    expect(quiet.exitCode, quiet.stderr).to.equal(0)
    expect(quiet.stderr).to.equal('')
    expect(fromCsv(quiet.stdout)).to.have.length(4)
    const loud = await runBin(['actions:export', ...target.flags, '--progress', '--status', 'pending'])
    expect(loud.exitCode, loud.stderr).to.equal(0)
    expect(loud.stderr).to.match(/^exported 3 actions in \d+\.\d s$/m)
    expect(fromCsv(loud.stdout)).to.have.length(3)
  })
})

describe('actions:export of many rows (remote)', function () {
  const ROWS = 200_000

  beforeEach(async function () {
    this.timeout(60_000)
    await appWithActions([], remote)
    await remote.query(`INSERT INTO actions (action, path, status) SELECT 'action ' || g, '/path/' || g, g % 3 = 0 FROM generate_series(1, ${ROWS}) g`)
  })

  it('stops quietly when the reader of the pipe goes away (| head -1)', async function () {
    this.timeout(60_000)
    const script = `"$0" bin/run.js actions:export --app ${APP} | head -1; echo "exit \${PIPESTATUS[0]}" >&2`
    const {stderr, stdout} = await new Promise<{stderr: string; stdout: string}>((resolve, reject) => {
      execFile('/bin/bash', ['-c', script, process.execPath], {cwd: ROOT}, (error, out, err) => (error ? reject(error) : resolve({stderr: err, stdout: out})))
    })
    expect(stdout).to.equal(`${HEADER}\n`)
    expect(stderr.trim()).to.equal('exit 0')
  })

  it('streams them all, in id order, with the exact count in the summary', async function () {
    this.timeout(60_000)
    const {exitCode, stderr, stdout} = await runBin(['actions:export', '--app', APP, '--format', 'ndjson', '--progress'])
    expect(exitCode, stderr).to.equal(0)
    expect(stderr).to.match(/^exported 200,000 actions in \d+\.\d s$/m)
    const lines = stdout.trimEnd().split('\n')
    expect(lines).to.have.length(ROWS)
    expect(JSON.parse(lines[ROWS - 1])).to.include({action: `action ${ROWS}`, id: ROWS, status: false})
  })

  describe('when the connection breaks half way through', function () {
    let proxy: FaultProxy
    const temp = useTempDir('export-')

    before(async function () {
      const {pg} = getWorld()
      proxy = await FaultProxy.start({host: pg.host, port: pg.port})
    })

    after(async function () {
      await proxy?.stop()
    })

    afterEach(function () {
      getWorld().api.setDatabaseUrl(APP, 'DATABASE', getWorld().pg.url)
    })

    it('says so on one line and leaves no file', async function () {
      this.timeout(60_000)
      proxy.reset()
      await proxy.setFault({kind: 'pass'})
      getWorld().api.setDatabaseUrl(APP, 'DATABASE', proxy.url(getWorld().pg.url))
      expect((await run(['actions:export', '--app', APP, '--output', path.join(temp.dir(), 'whole.csv')])).exitCode).to.equal(0)
      const {down} = proxy.connections[0]
      proxy.reset()
      await proxy.setFault({afterBytes: Math.floor(down / 2), direction: 'down', kind: 'cut'})
      const file = path.join(temp.dir(), 'a.csv')
      const {error, exitCode} = await run(['actions:export', '--app', APP, '--output', file])
      expect(exitCode).to.equal(1)
      expect(error?.message).to.equal('the connection to the database was lost; nothing was changed: try again')
      expect(await readdir(temp.dir())).to.deep.equal(['whole.csv'])
    })
  })
})
