import {expect} from 'chai'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {appWithActions} from '../../support/actions.js'
import {errorLine} from '../../support/error-line.js'
import {
  interruptWhen, run, runBin, startBin,
} from '../../support/run.js'
import {forEachTarget, TestTarget} from '../../support/targets.js'
import {getWorld} from '../../support/world.js'

const SEED: Array<[string, string, boolean]> = [['deploy', '/api/deploy', false], ['backup', '/api/backup', true]]
const FULL = 'SELECT id::int AS id, action, path, status, created_at, updated_at FROM actions ORDER BY id'

/** Everything the table holds, timestamps included. */
async function snapshot(target: TestTarget): Promise<unknown[]> {
  return target.query(FULL)
}

forEachTarget('actions:import', function (target) {
  let dir: string

  before(async function () {
    dir = await mkdtemp(path.join(os.tmpdir(), 'import-test-'))
  })

  after(async function () {
    await rm(dir, {force: true, recursive: true})
  })

  beforeEach(async function () {
    await appWithActions(SEED, target)
  })

  async function file(name: string, content: Buffer | string): Promise<string> {
    const where = path.join(dir, name)
    await writeFile(where, content)
    return where
  }

  async function importFile(name: string, content: Buffer | string, ...flags: string[]) {
    return run(['actions:import', await file(name, content), ...target.flags, ...flags])
  }

  /** Imports `content`, expects exit 1 with this line number in the message, and the table as it was. */
  async function refused(name: string, content: Buffer | string, line: number, reason: RegExp): Promise<string> {
    const before = await snapshot(target)
    const {error, exitCode} = await importFile(name, content)
    expect(exitCode, error?.message).to.equal(1)
    expect(error?.message).to.match(new RegExp(`^line ${line}: `))
    expect(error?.message).to.match(reason)
    expect(error?.message).to.match(/; nothing was imported$/)
    expect(await snapshot(target)).to.deep.equal(before)
    return error!.message
  }

  describe('what it imports', function () {
    it('imports CSV rows after those already there, pending unless the status says done', async function () {
      const {exitCode, stderr, stdout} = await importFile('a.csv', 'action,path,status\nlint,/api/lint,true\ntest,/api/test,\nship,/api/ship,pending\n')
      expect(exitCode).to.equal(0)
      expect(stdout).to.equal('')
      expect(stderr).to.equal('')
      expect(await target.actions()).to.deep.equal([
        {
          action: 'deploy', id: 1, path: '/api/deploy', status: false,
        },
        {
          action: 'backup', id: 2, path: '/api/backup', status: true,
        },
        {
          action: 'lint', id: 3, path: '/api/lint', status: true,
        },
        {
          action: 'test', id: 4, path: '/api/test', status: false,
        },
        {
          action: 'ship', id: 5, path: '/api/ship', status: false,
        },
      ])
    })

    it('imports NDJSON, keys in any order, status as a boolean or a word', async function () {
      const {exitCode} = await importFile('a.ndjson', '{"path":"/a","action":"one","status":true}\n\n{"action":"two","path":"/b"}\n{"action":"three","path":"/c","status":"DONE"}')
      expect(exitCode).to.equal(0)
      expect((await target.actions()).slice(2)).to.deep.equal([
        {
          action: 'one', id: 3, path: '/a', status: true,
        },
        {
          action: 'two', id: 4, path: '/b', status: false,
        },
        {
          action: 'three', id: 5, path: '/c', status: true,
        },
      ])
    })

    it('reads stdin with -, telling CSV from NDJSON by the first character', async function () {
      for (const input of ['action,path\nfrom,/stdin\n', '{"action":"from","path":"/stdin"}\n']) {
        const {exitCode, stderr} = await runBin(['actions:import', '-', ...target.flags], {input})
        expect(exitCode, stderr).to.equal(0)
      }

      expect((await target.actions()).slice(2).map(r => r.path)).to.deep.equal(['/stdin', '/stdin'])
    })

    it('takes the format from the extension, and --format over it', async function () {
      const ndjson = '{"action":"x","path":"/x"}\n'
      const refusedAsCsv = await importFile('rows.ndjson', ndjson, '--format', 'csv')
      expect(refusedAsCsv.exitCode).to.equal(1)
      expect(refusedAsCsv.error?.message).to.match(/^line 1: a quote inside an unquoted field/)
      expect((await importFile('rows.txt', ndjson, '--format', 'ndjson')).exitCode).to.equal(0)
      const asCsv = await importFile('rows.csv', '{action:x}\n')
      expect(asCsv.error?.message).to.match(/^line 1: unknown column "\{action:x\}"/)
      expect((await target.actions()).length).to.equal(3)
    })

    it('reads CRLF line endings, and quoted fields holding commas, quotes and line breaks', async function () {
      const csv = 'path,action\r\n"/a,b","say ""hi"""\r\n"/multi\r\nline\nfield",x\r\n/plain,"tab\there"\r\n'
      expect((await importFile('q.csv', csv)).exitCode).to.equal(0)
      expect((await target.actions()).slice(2).map(r => [r.action, r.path])).to.deep.equal([
        ['say "hi"', '/a,b'], ['x', '/multi\r\nline\nfield'], ['tab\there', '/plain'],
      ])
    })

    it('accepts 255 characters of several bytes each, and backslashes as they are', async function () {
      const long = '🚀'.repeat(255)
      expect((await importFile('u.csv', `action,path\n${long},C:\\N\\t\n`)).exitCode).to.equal(0)
      expect((await target.actions())[2]).to.deep.include({action: long, path: String.raw`C:\N\t`})
    })

    it('keeps given ids and timestamps, and the next actions:add gets a fresh id', async function () {
      const csv = 'id,action,path,status,created_at,updated_at\n10,a,/a,true,2026-11-27T03:25:13.123456Z,2026-11-28 03:25:13.5+02\n7,b,/b,false,,\n'
      expect((await importFile('ids.csv', csv)).exitCode).to.equal(0)
      const rows = await target.query<{created_at: Date; id: number; updated_at: Date}>(FULL)
      expect(rows.map(r => r.id)).to.deep.equal([1, 2, 7, 10])
      expect(rows[3].created_at.toISOString()).to.equal('2026-11-27T03:25:13.123Z')
      expect(rows[3].updated_at.toISOString()).to.equal('2026-11-28T01:25:13.500Z')
      expect(Math.abs(rows[2].created_at.getTime() - Date.now())).to.be.below(60_000)
      const {stdout} = await run(['actions:add', 'next', '/next', ...target.flags, '--json'])
      expect(JSON.parse(stdout)[0].id).to.equal(11)
    })

    it('imports nothing from an empty file or a header alone, and says how many', async function () {
      for (const content of ['', 'action,path\n']) {
        const {exitCode, stderr} = await importFile('empty.csv', content, '--progress')
        expect(exitCode).to.equal(0)
        expect(stderr).to.match(/^imported 0 actions in \d+\.\d s\n$/)
      }

      expect((await target.actions()).length).to.equal(2)
    })

    it('prints a summary with --progress', async function () {
      const {stderr} = await importFile('p.csv', 'action,path\na,/a\nb,/b\n', '--progress')
      expect(stderr).to.match(/^imported 2 actions in \d+\.\d s\n$/)
    })

    it('round trip: what actions:export writes, in CSV and NDJSON, imports back unchanged', async function () {
      await target.query(String.raw`INSERT INTO actions (action, path, status, created_at) VALUES ('with "quote", comma', E'/line\nbreak\\', true, '2001-02-03 04:05:06.789012+00')`)
      await target.query('DELETE FROM actions WHERE id = 1')
      const exported = await target.query<Record<string, boolean | number | string>>(`SELECT id::int AS id, action, path, status, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at,
         created_at::text AS created_text, updated_at::text AS updated_at FROM actions ORDER BY id`)
      const before = await snapshot(target)
      const csvField = (v: boolean | number | string) => (/[",\r\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v))
      const csv = 'id,action,path,status,created_at,updated_at\n'
        + exported.map(r => [r.id, r.action, r.path, r.status, r.created_at, r.updated_at].map(v => csvField(v)).join(',')).join('\n') + '\n'
      const ndjson = exported.map(r => JSON.stringify({
        action: r.action, created_at: r.created_text, id: r.id, path: r.path, status: r.status, updated_at: r.updated_at,
      })).join('\n') + '\n'
      for (const [name, content] of [['export.csv', csv], ['export.ndjson', ndjson]]) {
        await target.query('TRUNCATE actions')
        const {error, exitCode} = await importFile(name, content)
        expect(exitCode, error?.message).to.equal(0)
        expect(await snapshot(target)).to.deep.equal(before)
      }
    })
  })

  describe('a bad row: exit 1, its line and why, and the table exactly as before', function () {
    it('a missing column in the header, or a missing value in a row', async function () {
      await refused('h.csv', 'action,status\nx,true\n', 1, /the header has no path column/)
      await refused('r.csv', 'action,path\na,/a\nb\n', 3, /1 value where the header has 2 \(action,path\)/)
      await refused('r.ndjson', '{"action":"a","path":"/a"}\n{"action":"b"}\n', 2, /no path: every row needs one/)
    })

    it('an empty value', async function () {
      await refused('e.csv', 'action,path\na,/a\n,/b\n', 3, /action is empty/)
    })

    it('256 characters', async function () {
      await refused('l.csv', `action,path\na,/a\nb,${'p'.repeat(256)}\n`, 3, /path is 256 characters long; at most 255 fit/)
    })

    it('a status that is neither done nor pending', async function () {
      await refused('s.csv', 'action,path,status\na,/a,true\nb,/b,maybe\n', 3, /status "maybe" is neither done nor pending/)
    })

    it('broken CSV quoting', async function () {
      await refused('q1.csv', 'action,path\na,/a\nb,/b"c\n', 3, /a quote inside an unquoted field/)
      await refused('q2.csv', 'action,path\na,"/a"x\n', 2, /a closing quote must be followed by a comma/)
      await refused('q3.csv', 'action,path\na,/a\nb,"/b\nc\n', 3, /a quoted field is never closed/)
    })

    it('bytes that are not UTF-8', async function () {
      await refused('latin1.csv', Buffer.from('action,path\na,/a\ncaf\u00E9,/menu\n', 'latin1'), 3, /not valid UTF-8/)
      await refused('utf16.csv', Buffer.from('\uFEFFaction,path\na,/a\n', 'utf16le'), 1, /not valid UTF-8/)
      await refused('cut.csv', Buffer.concat([Buffer.from('action,path\na,/a\nb,/'), Buffer.from('🚀').subarray(0, 2)]), 3, /not valid UTF-8/)
    })

    it('a NUL byte', async function () {
      await refused('nul.csv', 'action,path\na,/a\nb\u0000,/b\n', 3, /NUL byte/)
    })

    it('an unknown column or key, named', async function () {
      await refused('u.csv', 'action,path,owner\na,/a,me\n', 1, /unknown column "owner"/)
      await refused('u.ndjson', '{"action":"a","path":"/a"}\n{"action":"a","path":"/a","owner":"me"}\n', 2, /unknown key "owner"/)
    })

    it('a line that is not JSON, or not an object', async function () {
      await refused('j.ndjson', '{"action":"a","path":"/a"}\n{"action":"b",\n', 2, /not valid JSON/)
      await refused('k.ndjson', '{"action":"a","path":"/a"}\n["b","/b"]\n', 2, /not a JSON object/)
    })

    it('a timestamp the server refuses, with the line it is on after line breaks in quoted fields', async function () {
      await refused('t.csv', 'action,path,created_at\na,"/a\nb",2026-01-01\n\nc,/c,yesterday-ish\n', 5, /created_at: invalid input syntax for type timestamp/)
    })

    it('an id that is already there, named', async function () {
      await refused('dup.csv', 'id,action,path\n5,a,/a\n2,b,/b\n', 3, /id 2 is already taken/)
      await refused('dup2.ndjson', '{"id":5,"action":"a","path":"/a"}\n{"id":5,"action":"b","path":"/b"}\n', 2, /id 5 is already taken/)
      await refused('zero.csv', 'id,action,path\n0,a,/a\n', 2, /id "0" is not an action id/)
    })

    it('on the last line of a file of 5,000 rows: none of them is imported', async function () {
      const rows = Array.from({length: 5000}, (_, i) => `a${i},/p${i}`).join('\n')
      await refused('big.csv', `action,path\n${rows}\nlast,${'x'.repeat(300)}\n`, 5002, /path is 300 characters long/)
    })
  })

  it('names a file it cannot read, and why, before connecting', async function () {
    const before = await snapshot(target)
    getWorld().api.requests = []
    const {error, exitCode} = await run(['actions:import', path.join(dir, 'nope.csv'), ...target.flags])
    expect(exitCode).to.equal(1)
    expect(error?.message).to.equal(`cannot read ${path.join(dir, 'nope.csv')}: no such file or directory; check the path`)
    // before connecting: the Platform API was not even asked for the database URL (the remote case)
    expect(getWorld().api.requests).to.deep.equal([])
    expect(await snapshot(target)).to.deep.equal(before)
  })

  it('says to run actions:init when the table is missing, or is the tutorial\'s without the upgrade', async function () {
    await target.query('DROP TABLE actions, heroku_actions_migrations, heroku_actions_changes')
    const missing = await importFile('m.csv', 'action,path\na,/a\n')
    expect(missing.exitCode).to.equal(1)
    expect(missing.error?.message).to.include(`run ${target.initCommand}`)
    await target.query('CREATE TABLE actions (action VARCHAR(255) NOT NULL, path VARCHAR(255) NOT NULL, status BOOLEAN NOT NULL DEFAULT FALSE)')
    const old = await importFile('m.csv', 'action,path\na,/a\n')
    expect(old.exitCode).to.equal(1)
    expect(old.error?.message).to.include(`run ${target.initCommand} to upgrade it`)
    expect(await target.query('SELECT * FROM actions')).to.deep.equal([])
  })

  it('rolls back at Ctrl-C in the middle of an import, says so and exits 130', async function () {
    const before = await snapshot(target)
    const running = startBin(['actions:import', '-', '--format', 'csv', ...target.flags])
    running.child.stdin.write('action,path\n' + 'a,/a\n'.repeat(50_000))
    const started = async () => (await target.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE 'COPY actions%' AND pid <> pg_backend_pid()")).length > 0
    const {exitCode, stderr} = await interruptWhen(running, started, 'the COPY to be running')
    expect(exitCode).to.equal(130)
    expect(errorLine(stderr)).to.equal('interrupted (SIGINT): the import was rolled back; nothing was imported')
    expect(await snapshot(target)).to.deep.equal(before)
  })
})
