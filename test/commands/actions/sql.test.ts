import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {mkdtemp, readFile, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {atPort} from '../../support/fake-servers.js'
import {latencyProxy} from '../../support/latency-proxy.js'
import {
  interruptWhen, ROOT, run, runBin, startBin, unwrap,
} from '../../support/run.js'
import {useTempDir} from '../../support/temp-dir.js'
import {APP, freshApp, getWorld} from '../../support/world.js'

async function tableExists(name: string): Promise<boolean> {
  const [{exists}] = await getWorld().pg.query<{exists: boolean}>('SELECT to_regclass($1) IS NOT NULL AS exists', [name])
  return exists
}

async function dropScratch(): Promise<void> {
  await getWorld().pg.query('DROP TABLE IF EXISTS scratch')
}

describe('actions:sql', function () {
  beforeEach(async function () {
    await freshApp()
    await dropScratch()
  })

  after(dropScratch)

  it('runs several statements, printing result sets as tables and the other statements as command tags', async function () {
    const sql = "CREATE TABLE scratch (id int, name text); INSERT INTO scratch VALUES (1, 'a'), (2, NULL); SELECT id, name FROM scratch ORDER BY id"
    const {exitCode, stdout} = await run(['actions:sql', sql, '--app', APP])
    expect(exitCode).to.equal(0)
    const lines = stdout.split('\n')
    expect(lines.slice(0, 2)).to.deep.equal(['CREATE TABLE', 'INSERT 0 2'])
    expect(lines[2].split(/\s+/)).to.deep.equal(['id', 'name'])
    expect(lines[4].split(/\s+/)).to.deep.equal(['1', 'a'])
    expect(lines[5]).to.equal('2')
    expect(lines[6]).to.equal('(2 rows)')
    expect(await getWorld().pg.query('SELECT id, name FROM scratch ORDER BY id')).to.deep.equal([{id: 1, name: 'a'}, {id: 2, name: null}])
  })

  it('takes none of the statements when one in the middle fails, and names it with line and column', async function () {
    const sql = "CREATE TABLE scratch (id int PRIMARY KEY);\nINSERT INTO scratch VALUES (1);\nINSERT INTO scratch\n  VALUES (2), ('x');\nINSERT INTO scratch VALUES (3);\n"
    const {error, exitCode, stdout} = await run(['actions:sql', sql, '--app', APP])
    expect(exitCode).to.equal(1)
    // results print as they come, as psql's do: what ran before the failure, then rolled back
    expect(stdout).to.equal('CREATE TABLE\nINSERT 0 1\n')
    expect(error?.message).to.include('error in statement 3 of 4 at line 4, column 16')
    expect(error?.message).to.include('invalid input syntax for type integer')
    expect(error?.message).to.include('nothing was committed')
    expect(error?.message).to.include('The statement: INSERT INTO scratch')
    expect(await tableExists('scratch')).to.equal(false)
  })

  it('names the statement of an error the server gives no position for', async function () {
    const sql = 'CREATE TABLE scratch (id int PRIMARY KEY);\n\nINSERT INTO scratch VALUES (1);\nINSERT INTO scratch VALUES (1)'
    const {error, exitCode} = await run(['actions:sql', sql, '--app', APP])
    expect(exitCode).to.equal(1)
    expect(error?.message).to.match(/^error in statement 3 of 3 \(line 4\): duplicate key value violates unique constraint .* \(SQLSTATE 23505\)/)
    expect(await tableExists('scratch')).to.equal(false)
  })

  it('counts columns in characters, as PostgreSQL does, past multi-byte text', async function () {
    const {error} = await run(['actions:sql', "SELECT 'ü😀', nosuch", '--app', APP])
    expect(error?.message).to.include('at line 1, column 14: column "nosuch" does not exist')
  })

  it('prints JSON with numbers, booleans and JSON values parsed, and big numbers as text', async function () {
    const sql = "CREATE TABLE scratch (id int); INSERT INTO scratch VALUES (1), (2); SELECT 1 AS n, true AS b, '{\"k\":[1]}'::jsonb AS j, 12345678901234567890::numeric AS big, NULL AS nothing, 'x' AS s"
    const {exitCode, stdout} = await run(['actions:sql', sql, '--app', APP, '--json'])
    expect(exitCode).to.equal(0)
    expect(JSON.parse(stdout)).to.deep.equal([
      {command: 'CREATE TABLE', statement: 1},
      {command: 'INSERT 0 2', row_count: 2, statement: 2},
      {
        command: 'SELECT 1', row_count: 1, rows: [{
          b: true, big: '12345678901234567890', j: {k: [1]}, n: 1, nothing: null, s: 'x',
        }], statement: 3,
      },
    ])
  })

  it('sends the statements together: a 100-statement script costs a handful of round trips, not 100', async function () {
    const {api, pg} = getWorld()
    const proxy = await latencyProxy(pg.port, 0)
    try {
      api.setDatabaseUrl(APP, 'DATABASE', atPort(pg.url, proxy.port))
      const inserts = Array.from({length: 100}, (_, i) => `INSERT INTO scratch VALUES (${i})`)
      const {exitCode, stderr} = await run(['actions:sql', ['CREATE TABLE scratch (id int)', ...inserts].join(';\n'), '--app', APP])
      expect(exitCode, stderr).to.equal(0)
      expect(proxy.roundTrips()).to.be.below(20)
      expect(await pg.query('SELECT count(*)::int AS n FROM scratch')).to.deep.equal([{n: 100}])
    } finally {
      await proxy.stop()
    }
  })

  it('shows what would happen with --dry-run and rolls it all back', async function () {
    const sql = 'CREATE TABLE scratch (id int); INSERT INTO scratch SELECT generate_series(1, 5); SELECT count(*) AS n FROM scratch'
    const {exitCode, stderr, stdout} = await run(['actions:sql', sql, '--app', APP, '--dry-run'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.include('INSERT 0 5')
    expect(stdout.split('\n')[4]).to.equal('5')
    expect(stderr).to.include('Rolled back (--dry-run): nothing was changed.')
    expect(await tableExists('scratch')).to.equal(false)
  })

  it('reads the script from --file and from stdin', async function () {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'actions-sql-'))
    const file = path.join(dir, 'setup.sql')
    await writeFile(file, '\uFEFF-- setup\nCREATE TABLE scratch (id int);\nINSERT INTO scratch VALUES (7);\n')
    const fromFile = await run(['actions:sql', '--file', file, '--app', APP])
    expect(fromFile.exitCode, fromFile.stderr).to.equal(0)
    const fromStdin = await runBin(['actions:sql', '--app', APP], {input: 'INSERT INTO scratch VALUES (8); SELECT sum(id) AS total FROM scratch'})
    expect(fromStdin.exitCode, fromStdin.stderr).to.equal(0)
    expect(fromStdin.stdout).to.include('15')
  })

  it('cancels a statement that runs past --statement-timeout, and commits nothing', async function () {
    const sql = 'CREATE TABLE scratch (id int); SELECT pg_sleep(5)'
    const {error, exitCode} = await run(['actions:sql', sql, '--app', APP, '--statement-timeout', '200ms'])
    expect(exitCode).to.equal(1)
    expect(error?.message).to.include('error in statement 2 of 2 (line 1): it ran longer than --statement-timeout allows')
    expect(await tableExists('scratch')).to.equal(false)
  })

  it('refuses a malformed --statement-timeout before connecting', async function () {
    const {error, exitCode} = await run(['actions:sql', 'SELECT 1', '--app', APP, '--statement-timeout', 'soon'])
    expect(exitCode).to.not.equal(0)
    expect(error?.message).to.include('is not a duration')
    expect(getWorld().api.requests).to.have.length(0)
  })

  it('refuses BEGIN/COMMIT and psql meta-commands, and runs nothing', async function () {
    const commit = await run(['actions:sql', 'CREATE TABLE scratch (id int);\nCOMMIT;\nDROP TABLE scratch', '--app', APP])
    expect(commit.exitCode).to.equal(1)
    expect(commit.error?.message).to.include('statement 2 (line 2: COMMIT) controls the transaction')
    const meta = await run(['actions:sql', 'CREATE TABLE scratch (id int);\n\\copy scratch from data.csv', '--app', APP])
    expect(meta.error?.message).to.include(String.raw`line 2 is a psql meta-command (\copy)`)
    expect(await tableExists('scratch')).to.equal(false)
    expect(getWorld().api.requests).to.have.length(0)
  })

  it('says what to do when there is no SQL at all', async function () {
    const {exitCode, stderr} = await runBin(['actions:sql', '--app', APP], {input: '  -- nothing here\n'})
    expect(exitCode).to.equal(1)
    expect(stderr).to.include('no SQL statement given')
  })

  it('cancels the running statement on the server at Ctrl-C, rolls back and exits 130', async function () {
    const {pg} = getWorld()
    const marker = `sleep_${Date.now()}`
    const running = startBin(['actions:sql', `CREATE TABLE scratch (id int); SELECT pg_sleep(30) AS ${marker}`, '--app', APP], {input: ''})
    const started = async () => (await pg.query("SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1", [`%${marker}%`])).length > 0
    const {exitCode, stderr} = await interruptWhen(running, started, 'the statement to be running')
    expect(exitCode).to.equal(130)
    expect(unwrap(stderr)).to.include('interrupted (SIGINT): statement 2 (line 1) was cancelled on the server and the transaction was rolled back')
    // a backend left running pg_sleep would mean only the client went away
    const still = await pg.query("SELECT pid FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid() AND state = 'active'", [`%${marker}%`])
    expect(still).to.deep.equal([])
    expect(await tableExists('scratch')).to.equal(false)
  })
})

// #14: a 400,000-row result died with "Maximum call stack size exceeded"
// after 190 MB; RAISE NOTICE was dropped
describe('actions:sql with large results', function () {
  this.timeout(120_000)
  const temp = useTempDir('sql-rss-')

  beforeEach(async function () {
    await freshApp()
  })

  /** Run the bin with its peak RSS recorded (bench/support/max-rss.mjs); stdout counted, not kept. */
  async function measured(argv: string[]): Promise<{exitCode: number; lastLines: string; lines: number; peakMb: number; stderr: string}> {
    const rssFile = path.join(temp.dir(), `rss-${argv.length}`)
    const child = spawn(process.execPath, ['--import', path.join(ROOT, 'bench/support/max-rss.mjs'), path.join(ROOT, 'bin/run.js'), ...argv], {
      cwd: ROOT, env: {...process.env, BENCH_RSS_FILE: rssFile}, stdio: ['ignore', 'pipe', 'pipe'],
    })
    let lines = 0
    let tail = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 10) lines++
      tail = (tail + chunk.toString()).slice(-200)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk
    })
    const [exitCode] = await once(child, 'close') as [number]
    const peakMb = Number((await readFile(rssFile, 'utf8')).trim()) / 1024
    return {
      exitCode, lastLines: tail, lines, peakMb, stderr,
    }
  }

  it('prints a 400,000-row result as a table within 150 MB, and as JSON in as little', async function () {
    this.timeout(300_000)
    const sql = 'SELECT g, md5(g::text) AS h FROM generate_series(1, 400000) g'
    const table = await measured(['actions:sql', sql, '--app', APP])
    expect(table.exitCode, table.stderr).to.equal(0)
    expect(table.lines).to.equal(400_000 + 4)
    expect(table.lastLines).to.match(/\n400000 +[0-9a-f]{32}\n\(400000 rows\)\n\n$/)
    expect(table.peakMb).to.be.below(150)
    const json = await measured(['actions:sql', sql, '--app', APP, '--json'])
    expect(json.exitCode, json.stderr).to.equal(0)
    expect(json.lastLines).to.match(/\{"g":400000,"h":"[0-9a-f]{32}"\}\n\],"command":"SELECT 400000","row_count":400000\}\n\]\n$/)
    expect(json.peakMb).to.be.below(150)
  })

  it('prints RAISE NOTICE and warnings on stderr, as psql does', async function () {
    const {exitCode, stderr, stdout} = await run(['actions:sql', "DO $$ BEGIN RAISE NOTICE 'half way: %', 21 * 2; RAISE WARNING 'careful'; END $$", '--app', APP])
    expect(exitCode, stderr).to.equal(0)
    expect(stdout).to.equal('DO\n')
    expect(stderr).to.equal('NOTICE:  half way: 42\nWARNING:  careful\n')
  })

  it('shows no terminal controls from the data in a table; --json keeps them exactly (#12)', async function () {
    const value = 'a\u001B]0;owned\u0007b\u009Bc'
    const table = await run(['actions:sql', 'SELECT $$' + value + '$$ AS v', '--app', APP])
    expect(table.stdout).to.include(String.raw`a\x1B]0;owned\x07b\x9Bc`)
    const json = await run(['actions:sql', 'SELECT $$' + value + '$$ AS v', '--app', APP, '--json'])
    expect(JSON.parse(json.stdout)[0].rows).to.deep.equal([{v: value}])
  })
})
