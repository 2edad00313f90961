import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'

import {appWithActions} from '../../support/actions.js'
import {queryUrl, urlOf} from '../../support/databases.js'
import {errorLine} from '../../support/error-line.js'
import {FaultProxy} from '../../support/fault-proxy.js'
import {
  eventually, interruptWhen, ROOT, run, runBin, startBin,
} from '../../support/run.js'
import {forEachTarget, TestTarget} from '../../support/targets.js'
import {useTempDir} from '../../support/temp-dir.js'
import {APP, getWorld} from '../../support/world.js'

const SEED: Array<[string, string, boolean]> = [['deploy', '/api/deploy', false], ['backup', '/api/backup', true], ['restore', '/api/restore', false]]
const FULL = 'SELECT id::int AS id, action, path, status, created_at, updated_at FROM actions ORDER BY id'
/** the file most tests apply to SEED: one change, one row as it is, one new; restore is not in it */
const FILE = 'action,path,status\ndeploy,/api/deploy,done\nbackup,/api/backup,true\nlint,/api/lint,\n'
const PLAN = '+ lint /api/lint (pending)\n~ deploy /api/deploy: pending -> done\n1 to add, 1 to change, 0 to remove\n'

/** Everything the table holds, timestamps included, as text: byte for byte. */
async function snapshot(target: TestTarget): Promise<unknown[]> {
  return target.query('SELECT t::text AS row FROM actions t ORDER BY id')
}

/** Keys that must match exactly, through CSV and NDJSON, and print without controls. */
const HOSTILE: Array<[string, string]> = [
  ['with "quotes", and commas', "/it's,\"here\""],
  ['line\nbreak\r\nand tab\t', String.raw`/C:\N\t`],
  ['😀'.repeat(255), 'a' + '\u0301'.repeat(254)],
  ['\u001B[2J\u001B]0;pwned\u0007', 'a\u0085b\u009Bc\u007F'],
  ['שלום עולם', '  /space around  '],
  ['\u00E9', '$1'],
]

const STAGING = 'example-staging'
const STAGING_DB = 'apply_staging'

/** example-staging, on a second database of the test server, with the current schema and these rows. */
async function stagingWith(rows: Array<[string, string, boolean]>): Promise<void> {
  const exists = await getWorld().pg.query('SELECT 1 FROM pg_database WHERE datname = $1', [STAGING_DB])
  if (exists.length === 0) await getWorld().pg.createDatabase(STAGING_DB)
  getWorld().api.setApp({databases: [{attachment: 'DATABASE', url: urlOf(STAGING_DB)}], name: STAGING})
  const init = await run(['actions:init', '--app', STAGING])
  expect(init.exitCode, init.error?.message).to.equal(0)
  await queryUrl(urlOf(STAGING_DB), 'TRUNCATE actions RESTART IDENTITY')
  await queryUrl(urlOf(STAGING_DB), 'INSERT INTO actions (action, path, status) SELECT * FROM unnest($1::text[], $2::text[], $3::bool[])', [rows.map(r => r[0]), rows.map(r => r[1]), rows.map(r => r[2])])
}

/** A shell pipeline of bin/run.js commands, as a user types it. */
async function shell(script: string): Promise<{code: number; stderr: string; stdout: string}> {
  return new Promise(resolve => {
    execFile('/bin/sh', ['-c', script, process.execPath], {cwd: ROOT, maxBuffer: 1 << 26}, (error, stdout, stderr) => {
      resolve({code: error ? Number(error.code) : 0, stderr, stdout})
    })
  })
}

/** A connection of its own to the target's database, to hold locks while a command runs. */
async function connectTo(target: TestTarget): Promise<pg.Client> {
  const url = target.name === 'local' ? await getWorld().local.url() : getWorld().pg.url
  const client = new pg.Client({connectionString: url, ssl: {rejectUnauthorized: false}})
  await client.connect()
  return client
}

/** Whether a statement starting with `sql` is waiting for a lock. */
async function waitingAt(target: TestTarget, sql: string): Promise<boolean> {
  const rows = await target.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND starts_with(query, $1)", [sql])
  return rows.length > 0
}

const CONTROLS = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/

forEachTarget('actions:apply', function (target) {
  const temp = useTempDir('apply-test-')

  beforeEach(async function () {
    await appWithActions(SEED, target)
  })

  async function file(name: string, content: Buffer | string): Promise<string> {
    const where = path.join(temp.dir(), name)
    await writeFile(where, content)
    return where
  }

  async function apply(content: Buffer | string, ...flags: string[]) {
    const name = content.toString().startsWith('{') ? 'actions.ndjson' : 'actions.csv'
    return run(['actions:apply', await file(name, content), ...target.flags, ...flags])
  }

  /** Applies `content`, expects exit 1 with `message`, and the table exactly as it was. */
  async function refused(content: Buffer | string, message: RegExp | string, ...flags: string[]): Promise<void> {
    const before = await snapshot(target)
    const {error, exitCode, stdout} = await apply(content, ...flags)
    expect(exitCode, error?.message).to.equal(1)
    if (typeof message === 'string') expect(error?.message).to.equal(message)
    else expect(error?.message).to.match(message)
    expect(error?.message).to.match(/nothing was changed/)
    expect(stdout, 'no plan is printed for a refused file').to.equal('')
    expect(await snapshot(target)).to.deep.equal(before)
  }

  describe('the plan, then the change', function () {
    it('prints the plan, applies it in the file\'s order, leaves the rows the file does not have, and says what it did', async function () {
      const before = await target.query<{id: number; updated_at: Date}>(FULL)
      const {exitCode, stderr, stdout} = await apply(FILE)
      expect(exitCode, stderr).to.equal(0)
      expect(stdout).to.equal(PLAN)
      expect(stderr).to.equal('Applied: 1 added, 1 changed, 0 removed.\n1 action of the table not in the file was left alone (--prune removes them).\n')
      expect(await target.actions()).to.deep.equal([
        {
          action: 'deploy', id: 1, path: '/api/deploy', status: true,
        },
        {
          action: 'backup', id: 2, path: '/api/backup', status: true,
        },
        {
          action: 'restore', id: 3, path: '/api/restore', status: false,
        },
        {
          action: 'lint', id: 4, path: '/api/lint', status: false,
        },
      ])
      const after = await target.query<{id: number; updated_at: Date}>(FULL)
      expect(after[0].updated_at.getTime(), 'a changed row is updated now').to.be.greaterThan(before[0].updated_at.getTime())
      expect(after.slice(1, 3), 'the others are untouched').to.deep.equal(before.slice(1, 3))
    })

    it('colours the marks as the Heroku CLI does where colour is on, and only the marks', async function () {
      const where = await file('actions.csv', FILE)
      const coloured = await runBin(['actions:apply', where, '--dry-run', ...target.flags], {env: {FORCE_COLOR: '1', NO_COLOR: undefined}})
      expect(coloured.exitCode, coloured.stderr).to.equal(0)
      expect(coloured.stdout).to.equal('\u001B[32m+\u001B[39m lint /api/lint (pending)\n\u001B[33m~\u001B[39m deploy /api/deploy: pending -> done\n1 to add, 1 to change, 0 to remove\n')
      const plain = await runBin(['actions:apply', where, '--dry-run', ...target.flags], {env: {FORCE_COLOR: undefined, NO_COLOR: '1'}})
      expect(plain.stdout).to.equal(PLAN)
    })

    it('a second apply of the same file has an empty plan and changes nothing', async function () {
      expect((await apply(FILE)).exitCode).to.equal(0)
      const before = await snapshot(target)
      const {exitCode, stderr, stdout} = await apply(FILE)
      expect(exitCode).to.equal(0)
      expect(stdout).to.equal('0 to add, 0 to change, 0 to remove\n')
      expect(stderr).to.match(/^Nothing to do: the table matches the file\.\n/)
      expect(await snapshot(target)).to.deep.equal(before)
    })

    it('ignores id, created_at and updated_at in the file: new rows get new ids and the time now', async function () {
      const {exitCode} = await apply('id,action,path,status,created_at,updated_at\n1,lint,/api/lint,false,2001-01-01 00:00:00+00,2001-01-01 00:00:00+00\n99,deploy,/api/deploy,false,,\n')
      expect(exitCode).to.equal(0)
      const rows = await target.query<{created_at: Date; id: number}>(FULL)
      expect(rows.map(r => r.id)).to.deep.equal([1, 2, 3, 4])
      expect(Math.abs(rows[3].created_at.getTime() - Date.now())).to.be.below(60_000)
    })

    it('--json prints the plan as one object; a change carries the old status', async function () {
      const {exitCode, stdout} = await apply(FILE, '--json', '--prune', '--confirm', target.confirm)
      expect(exitCode).to.equal(0)
      expect(JSON.parse(stdout)).to.deep.equal({
        add: [{action: 'lint', path: '/api/lint', status: false}],
        change: [{
          action: 'deploy', old_status: false, path: '/api/deploy', status: true,
        }],
        remove: [{action: 'restore', path: '/api/restore', status: false}],
      })
      const again = await apply(FILE, '--json')
      expect(JSON.parse(again.stdout)).to.deep.equal({add: [], change: [], remove: []})
    })

    it('--dry-run prints the plan and leaves the table byte for byte as it was, its ids too', async function () {
      const before = await snapshot(target)
      const {exitCode, stderr, stdout} = await apply(FILE, '--dry-run')
      expect(exitCode).to.equal(0)
      expect(stdout).to.equal(PLAN)
      expect(stderr).to.equal('Dry run: nothing was changed.\n1 action of the table not in the file would be left alone (--prune removes them).\n')
      expect(await snapshot(target)).to.deep.equal(before)
      const {stdout: added} = await run(['actions:add', 'next', '/next', ...target.flags, '--json'])
      expect(JSON.parse(added)[0].id, 'no id was used up').to.equal(4)
    })

    it('--exit-code exits 2 while the plan is not empty, and 0 once it is applied', async function () {
      expect((await apply(FILE, '--dry-run', '--exit-code')).exitCode).to.equal(2)
      expect((await apply(FILE, '--exit-code')).exitCode, 'applied, and there was something to apply').to.equal(2)
      const clean = await apply(FILE, '--dry-run', '--exit-code')
      expect(clean.exitCode).to.equal(0)
      expect(clean.stdout).to.equal('0 to add, 0 to change, 0 to remove\n')
      // rows the file does not have are drift too, seen with --prune (a dry run needs no --confirm)
      expect((await apply(FILE, '--dry-run', '--exit-code', '--prune')).exitCode).to.equal(2)
    })

    it('reads stdin with -, in either format, and writes the same plan', async function () {
      const ndjson = '{"action":"deploy","path":"/api/deploy","status":true}\n{"action":"backup","path":"/api/backup","status":true}\n{"action":"lint","path":"/api/lint"}\n'
      for (const input of [FILE, ndjson]) {
        const {exitCode, stderr, stdout} = await runBin(['actions:apply', '-', ...target.flags, '--dry-run'], {input})
        expect(exitCode, stderr).to.equal(0)
        expect(stdout).to.equal(PLAN)
      }
    })
  })

  it('rolls back when the reader of the plan goes away before the end (| head)', async function () {
    const before = await snapshot(target)
    const rows = 'action,path\n' + Array.from({length: 20_000}, (_, i) => `bulk,/bulk/${i}\n`).join('')
    const running = startBin(['actions:apply', await file('big.csv', rows), ...target.flags])
    running.child.stdout.destroy()
    const {exitCode, stderr} = await running.done
    expect(exitCode).to.equal(1)
    expect(errorLine(stderr)).to.equal('could not write the plan (the reader of the output went away), so it was not applied; nothing was changed')
    expect(await snapshot(target)).to.deep.equal(before)
  })

  describe('--prune', function () {
    it('removes the rows the file does not have, with --confirm', async function () {
      const {exitCode, stderr, stdout} = await apply(FILE, '--prune', '--confirm', target.confirm)
      expect(exitCode, stderr).to.equal(0)
      expect(stdout).to.equal('+ lint /api/lint (pending)\n~ deploy /api/deploy: pending -> done\n- restore /api/restore\n1 to add, 1 to change, 1 to remove\n')
      expect(stderr).to.equal('Applied: 1 added, 1 changed, 1 removed.\n')
      expect((await target.actions()).map(r => r.action)).to.deep.equal(['deploy', 'backup', 'lint'])
    })

    it('refuses without --confirm, or with another name, and changes nothing', async function () {
      await refused(FILE, `--prune removes the actions the file does not have, for good: pass --confirm ${target.confirm} to proceed (--dry-run shows which); nothing was changed`, '--prune')
      await refused(FILE, `--confirm other-app does not match ${target.confirm}: nothing was changed`, '--prune', '--confirm', 'other-app')
    })

    it('shows what it would remove with --dry-run, without --confirm', async function () {
      const before = await snapshot(target)
      const {exitCode, stdout} = await apply(FILE, '--prune', '--dry-run')
      expect(exitCode).to.equal(0)
      expect(stdout).to.include('- restore /api/restore\n1 to add, 1 to change, 1 to remove\n')
      expect(await snapshot(target)).to.deep.equal(before)
    })

    it('refuses an input with no rows at all, which is more often a failed export than an intent', async function () {
      await refused('', /^the input holds no actions, and --prune would remove every action of the table: refused/, '--prune', '--confirm', target.confirm)
      await refused('action,path\n', /^the input holds no actions/, '--prune', '--confirm', target.confirm)
    })

    it('--confirm is refused without --prune', async function () {
      const {error, exitCode} = await apply(FILE, '--confirm', target.confirm)
      expect(exitCode).to.equal(2)
      expect(error?.message).to.include('--prune')
    })
  })

  describe('what it refuses: exit 1, one line, and the table exactly as before', function () {
    it('a pair twice in the file, naming both lines', async function () {
      await refused('action,path\nlint,/api/lint\nx,/x\n\n"deploy","/api/deploy"\nlint,/api/lint\n', 'lines 2 and 6 both have action "lint" and path "/api/lint": apply matches rows by action and path, so each pair may appear once in the file; nothing was changed')
      await refused('{"action":"a","path":"/a"}\n{"action":"a\\nb","path":"/\\"q\\""}\n\n{"action":"a\\nb","path":"/\\"q\\"","status":true}\n', /^lines 2 and 4 both have action "a\\nb" and path "\/\\"q\\"": /)
    })

    it('a pair twice in the table, naming it and how to clean it up', async function () {
      await target.query("INSERT INTO actions (action, path) VALUES ('backup', '/api/backup'), ('x', '/x'), ('x', '/x'), ('backup', '/api/backup')")
      const where = target.name === 'local' ? '--local' : '--app example-app'
      await refused(FILE, `the table has action "backup" and path "/api/backup" 3 times (ids 2, 4, 7) (and 1 more such pair): apply matches rows by action and path, so each pair must be there once; keep one and remove the others (heroku actions:remove 4 7 ${where} --confirm ${target.confirm}), then apply again; nothing was changed`)
    })

    it('what import refuses, with the same message and its line', async function () {
      await refused('action,path,status\na,/a,true\nb,/b,maybe\n', /^line 3: status "maybe" is neither done nor pending: use true or false .*; nothing was changed$/)
      await refused(`action,path\na,/a\nb,${'p'.repeat(256)}\n`, 'line 3: path is 256 characters long; at most 255 fit: shorten it; nothing was changed')
      await refused('action,path,created_at\na,"/a\nb",2026-01-01\n\nc,/c,yesterday-ish\n', /^line 5: created_at: invalid input syntax for type timestamp/)
      await refused('{"action":"a","path":"/a"}\n{"action":"b","path":"/b","owner":"me"}\n', /^line 2: unknown key "owner"/)
      await refused(Buffer.from('action,path\ncaf\u00E9,/menu\n', 'latin1'), /^line 2: the text is not valid UTF-8/)
    })

    it('a missing table, or the tutorial\'s without the upgrade: run actions:init', async function () {
      await target.query('DROP TABLE actions, heroku_actions_migrations')
      const missing = await apply(FILE)
      expect(missing.exitCode).to.equal(1)
      expect(missing.error?.message).to.include(`run ${target.initCommand}`)
      await target.query('CREATE TABLE actions (action VARCHAR(255) NOT NULL, path VARCHAR(255) NOT NULL, status BOOLEAN NOT NULL DEFAULT FALSE)')
      const old = await apply(FILE)
      expect(old.error?.message).to.include(`run ${target.initCommand} to upgrade it`)
    })

    it('a file it cannot read, before connecting', async function () {
      const {error, exitCode} = await run(['actions:apply', path.join(temp.dir(), 'nope.csv'), ...target.flags])
      expect(exitCode).to.equal(1)
      expect(errorLine(error!.message)).to.equal(`cannot read ${path.join(temp.dir(), 'nope.csv')}: no such file or directory; check the path`)
    })
  })

  describe('between apps, and with odd keys', function () {
    it('staging to production: export | apply, in CSV and NDJSON, then the same again is an empty plan', async function () {
      this.timeout(60_000)
      const staging: Array<[string, string, boolean]> = [['backup', '/api/backup', true], ['deploy', '/api/deploy', true], ...HOSTILE.map(([a, p], i) => [a, p, i % 2 === 0] as [string, string, boolean])]
      await stagingWith(staging)
      const expected = staging.map(([action, path, status]) => ({action, path, status})).sort((x, y) => (x.action + x.path < y.action + y.path ? -1 : 1))
      for (const format of ['csv', 'ndjson']) {
        await appWithActions(SEED, target)
        await stagingWith(staging)
        const pipe = `"$0" bin/run.js actions:export --format ${format} --app ${STAGING} | "$0" bin/run.js actions:apply - ${target.flags.join(' ')} --prune --confirm ${target.confirm}`
        const first = await shell(pipe)
        expect(first.code, first.stderr).to.equal(0)
        expect(first.stdout).to.match(new RegExp(`^(\\+ .*\n){${HOSTILE.length}}~ deploy /api/deploy: pending -> done\n- restore /api/restore\n${HOSTILE.length} to add, 1 to change, 1 to remove\n$`))
        expect(first.stdout.replaceAll('\n', ''), String.raw`the plan shows controls as \xHH`).to.not.match(CONTROLS)
        const rows = (await target.actions()).map(({action, path, status}) => ({action, path, status}))
        expect(rows.sort((x, y) => (x.action + x.path < y.action + y.path ? -1 : 1))).to.deep.equal(expected)
        const again = await shell(pipe)
        expect(again.stdout).to.equal('0 to add, 0 to change, 0 to remove\n')
      }
    })

    it('matches odd keys exactly: a change for the same text, an add for text that only looks the same', async function () {
      for (const [action, path] of HOSTILE) await target.query('INSERT INTO actions (action, path) VALUES ($1, $2)', [action, path])
      const before = await target.actions()
      const lookalikes = [['e\u0301', '$1'], ['שלום עולם', '/space around']]
      const ndjson = [...HOSTILE, ...lookalikes].map(([action, path], i) => JSON.stringify({action, path, status: i < HOSTILE.length})).join('\n')
      const {exitCode, stdout} = await apply(ndjson, '--json')
      expect(exitCode).to.equal(0)
      const plan = JSON.parse(stdout)
      expect(plan.change).to.deep.equal(HOSTILE.map(([action, path]) => ({
        action, old_status: false, path, status: true,
      })))
      expect(plan.add).to.deep.equal(lookalikes.map(([action, path]) => ({action, path, status: false})))
      expect((await target.actions()).slice(0, before.length)).to.deep.equal(before.map(r => (r.id > SEED.length ? {...r, status: true} : r)))
      const csv = 'action,path,status\n' + HOSTILE.map(([a, p]) => `"${a.replaceAll('"', '""')}","${p.replaceAll('"', '""')}",true`).join('\n') + '\n'
      const again = await apply(csv, '--dry-run', '--exit-code')
      expect(again.stdout, 'the same keys in CSV match too').to.equal('0 to add, 0 to change, 0 to remove\n')
      expect(again.exitCode).to.equal(0)
    })
  })

  describe('while others work on the table', function () {
    it('a concurrent actions:add waits for the lock and lands after a large apply: not lost, not in its plan', async function () {
      this.timeout(60_000)
      const rows = 20_000
      const big = await file('big.csv', 'action,path,status\ndeploy,/api/deploy,done\n' + Array.from({length: rows}, (_, i) => `bulk,/bulk/${i},\n`).join(''))
      const blocker = await connectTo(target)
      try {
        // holds the row the apply changes: the apply takes its lock, prints its plan, then waits at its writes
        await blocker.query('BEGIN')
        await blocker.query('SELECT 1 FROM actions WHERE id = 1 FOR UPDATE')
        const applying = startBin(['actions:apply', big, ...target.flags])
        await eventually(async () => ((await waitingAt(target, 'WITH removed')) ? true : undefined), 20_000, 'the apply to wait at its writes')
        const held = await target.query<{mode: string}>("SELECT mode FROM pg_locks WHERE relation = 'actions'::regclass AND granted AND mode = 'ShareRowExclusiveLock'")
        expect(held, 'the apply holds its lock').to.have.length(1)
        const adding = startBin(['actions:add', 'late', '/late', ...target.flags])
        const addWaits = "SELECT 1 FROM pg_locks WHERE relation = 'actions'::regclass AND NOT granted AND mode = 'RowExclusiveLock'"
        await eventually(async () => ((await target.query(addWaits)).length > 0 ? true : undefined), 20_000, 'actions:add to wait for the lock')
        expect(applying.output()).to.include(`~ deploy /api/deploy: pending -> done\n${rows} to add, 1 to change, 0 to remove\n`)
        expect(applying.output()).to.not.include('late')
        await blocker.query('COMMIT')
        const [applied, added] = await Promise.all([applying.done, adding.done])
        expect(applied.exitCode, applied.stderr).to.equal(0)
        expect(added.exitCode, added.stderr).to.equal(0)
        const [last] = await target.query<{action: string; id: number; total: number}>('SELECT action, id::int AS id, (SELECT count(*)::int FROM actions) AS total FROM actions ORDER BY id DESC LIMIT 1')
        expect(last, 'the add came after all of the apply').to.deep.equal({action: 'late', id: SEED.length + rows + 1, total: SEED.length + rows + 1})
        expect((await target.actions())[0].status).to.equal(true)
      } finally {
        await blocker.end()
      }
    })

    it('two applies at once take turns: the second plans after the first commits, so nothing is added twice', async function () {
      const blocker = await connectTo(target)
      try {
        await blocker.query('BEGIN')
        await blocker.query('SELECT 1 FROM actions WHERE id = 1 FOR UPDATE')
        const where = await file('a.csv', FILE)
        const first = startBin(['actions:apply', where, ...target.flags])
        await eventually(async () => ((await waitingAt(target, 'WITH removed')) ? true : undefined), 20_000, 'the first apply to wait at its writes')
        const second = startBin(['actions:apply', where, ...target.flags])
        await eventually(async () => ((await waitingAt(target, 'LOCK TABLE actions')) ? true : undefined), 20_000, 'the second apply to wait for the lock')
        await blocker.query('COMMIT')
        const [one, two] = await Promise.all([first.done, second.done])
        expect([one.exitCode, two.exitCode]).to.deep.equal([0, 0])
        expect(one.stdout).to.equal(PLAN)
        expect(two.stdout).to.equal('0 to add, 0 to change, 0 to remove\n')
        expect((await target.actions()).filter(r => r.action === 'lint')).to.have.length(1)
      } finally {
        await blocker.end()
      }
    })
  })

  describe('Ctrl-C', function () {
    it('in the middle of the upload: rolls back, says so, exits 130', async function () {
      const before = await snapshot(target)
      const running = startBin(['actions:apply', '-', '--format', 'csv', ...target.flags])
      // it stops reading when interrupted: what is left unwritten does not matter
      running.child.stdin.on('error', () => {})
      running.child.stdin.write('action,path\n' + 'a,/a\n'.repeat(50_000).replaceAll('a,/a\n', (_, i: number) => `a,/a${i}\n`))
      const started = async () => (await target.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE 'COPY heroku_actions_apply_rows%' AND pid <> pg_backend_pid()")).length > 0
      const {exitCode, stderr, stdout} = await interruptWhen(running, started, 'the COPY to be running')
      expect(exitCode).to.equal(130)
      expect(errorLine(stderr)).to.equal('interrupted (SIGINT): the apply was rolled back; nothing was changed')
      expect(stdout).to.equal('')
      expect(await snapshot(target)).to.deep.equal(before)
    })

    it('while waiting for the lock: the wait is cancelled on the server and nothing changes', async function () {
      const before = await snapshot(target)
      const blocker = await connectTo(target)
      try {
        await blocker.query('BEGIN')
        await blocker.query('UPDATE actions SET status = status WHERE id = 2')
        const running = startBin(['actions:apply', await file('a.csv', FILE), ...target.flags])
        const {exitCode, stderr} = await interruptWhen(running, () => waitingAt(target, 'LOCK TABLE actions'), 'the apply to wait for its lock')
        expect(exitCode).to.equal(130)
        expect(errorLine(stderr)).to.equal('interrupted (SIGINT): the apply was rolled back; nothing was changed')
        expect(await waitingAt(target, 'LOCK TABLE actions'), 'no statement is left waiting').to.equal(false)
      } finally {
        await blocker.query('ROLLBACK')
        await blocker.end()
      }

      expect(await snapshot(target)).to.deep.equal(before)
    })
  })

  if (target.name === 'remote') {
    describe('when the connection is cut', function () {
      let proxy: FaultProxy

      before(async function () {
        proxy = await FaultProxy.start({host: getWorld().pg.host, port: getWorld().pg.port})
      })

      after(async function () {
        await proxy?.stop()
      })

      const big = 'action,path,status\ndeploy,/api/deploy,done\n' + Array.from({length: 20_000}, (_, i) => `bulk,/bulk/${i},\n`).join('')

      async function cutAt(fault: Parameters<FaultProxy['setFault']>[0]) {
        proxy.reset()
        await proxy.setFault(fault)
        getWorld().api.setDatabaseUrl(APP, 'DATABASE', proxy.url(getWorld().pg.url))
        return apply(big, '--prune', '--confirm', APP)
      }

      it('in the middle of the upload, or after the writes before COMMIT: the table exactly as before', async function () {
        await cutAt({kind: 'pass'})
        const {up} = proxy.connections[0]
        await appWithActions(SEED, target)
        const before = await snapshot(target)
        for (const fault of [{afterBytes: Math.floor(up / 2), direction: 'up'}, {atMessage: /^WITH removed/, direction: 'down'}] as const) {
          const {error, exitCode} = await cutAt({...fault, kind: 'cut'})
          expect(exitCode).to.equal(1)
          expect(error?.message).to.equal('the connection to the database was lost; nothing was changed: try again')
          expect(await snapshot(target)).to.deep.equal(before)
        }
      })

      it('when COMMIT\'s answer is lost: says it cannot know, and the change is whole', async function () {
        const {error, exitCode} = await cutAt({atMessage: /^COMMIT/, direction: 'down', kind: 'cut'})
        expect(exitCode).to.equal(1)
        expect(error?.message).to.equal('the connection was lost while committing; the change may or may not have been applied: check with heroku actions:apply --dry-run')
        const [{count}] = await target.query<{count: number}>('SELECT count(*)::int AS count FROM actions')
        expect(count).to.equal(20_001)
      })
    })
  }
})
