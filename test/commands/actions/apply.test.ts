import {expect} from 'chai'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'

import {appWithActions} from '../../support/actions.js'
import {errorLine} from '../../support/error-line.js'
import {run, runBin} from '../../support/run.js'
import {forEachTarget, TestTarget} from '../../support/targets.js'
import {useTempDir} from '../../support/temp-dir.js'

const SEED: Array<[string, string, boolean]> = [['deploy', '/api/deploy', false], ['backup', '/api/backup', true], ['restore', '/api/restore', false]]
const FULL = 'SELECT id::int AS id, action, path, status, created_at, updated_at FROM actions ORDER BY id'
/** the file most tests apply to SEED: one change, one row as it is, one new; restore is not in it */
const FILE = 'action,path,status\ndeploy,/api/deploy,done\nbackup,/api/backup,true\nlint,/api/lint,\n'
const PLAN = '+ lint /api/lint (pending)\n~ deploy /api/deploy: pending -> done\n1 to add, 1 to change, 0 to remove\n'

/** Everything the table holds, timestamps included, as text: byte for byte. */
async function snapshot(target: TestTarget): Promise<unknown[]> {
  return target.query('SELECT t::text AS row FROM actions t ORDER BY id')
}

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
        {action: 'deploy', id: 1, path: '/api/deploy', status: true},
        {action: 'backup', id: 2, path: '/api/backup', status: true},
        {action: 'restore', id: 3, path: '/api/restore', status: false},
        {action: 'lint', id: 4, path: '/api/lint', status: false},
      ])
      const after = await target.query<{id: number; updated_at: Date}>(FULL)
      expect(after[0].updated_at.getTime(), 'a changed row is updated now').to.be.greaterThan(before[0].updated_at.getTime())
      expect(after.slice(1, 3), 'the others are untouched').to.deep.equal(before.slice(1, 3))
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
        change: [{action: 'deploy', old_status: false, path: '/api/deploy', status: true}],
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
        // eslint-disable-next-line no-await-in-loop
        const {exitCode, stderr, stdout} = await runBin(['actions:apply', '-', ...target.flags, '--dry-run'], {input})
        expect(exitCode, stderr).to.equal(0)
        expect(stdout).to.equal(PLAN)
      }
    })
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
})
