import {expect} from 'chai'

import {appWithActions} from '../../support/actions.js'
import {run} from '../../support/run.js'
import {remote} from '../../support/targets.js'
import {APP} from '../../support/world.js'

/** 2^53 + 1: a float8 (and a JavaScript number) reads it as 2^53 */
const ABOVE_2_53 = '9007199254740993'
/** 2^63 - 1, the largest bigint */
const MAX = '9223372036854775807'

const app = ['--app', APP]

async function withIds(): Promise<void> {
  await appWithActions([], remote)
  await remote.query(`INSERT INTO actions (id, action, path) OVERRIDING SYSTEM VALUE
    VALUES (5, 'small', '/s'), ($1, 'above', '/a'), ($2, 'max', '/m')`, [ABOVE_2_53, MAX])
}

async function stored(): Promise<Array<{id: string; path: string; status: boolean}>> {
  return remote.query('SELECT id::text AS id, path, status FROM actions ORDER BY id')
}

/** what list --json prints for these ids, a line each: the form every --json of a row takes */
async function listed(...ids: string[]): Promise<string[]> {
  const {stdout} = await run(['actions:list', '--json', ...app])
  const lines = stdout.split('\n').slice(1, -2).map(line => line.replace(/,$/, ''))
  return ids.map(id => lines.find(line => line.startsWith(`{"id":${id},`))!)
}

// #12: ids above 2^53 went through float8, so 9007199254740993 showed as
// ...992 and `done 9007199254740993` found no action
describe('ids above 2^53, up to 2^63-1, are exact in every command', function () {
  beforeEach(withIds)

  it('list shows them exactly in the table and as JSON numbers in --json', async function () {
    const table = await run(['actions:list', ...app])
    expect(table.stdout).to.match(new RegExp(`^${ABOVE_2_53}\\s+above`, 'm'))
    expect(table.stdout).to.match(new RegExp(`^${MAX}\\s+max`, 'm'))
    const json = await run(['actions:list', '--json', ...app])
    expect(json.stdout).to.include(`{"id":${ABOVE_2_53},"action":"above"`)
    expect(json.stdout).to.include(`{"id":${MAX},"action":"max"`)
  })

  it('export writes them exactly, as CSV and as NDJSON', async function () {
    expect((await run(['actions:export', ...app])).stdout).to.match(new RegExp(`^${ABOVE_2_53},above,.*\\n${MAX},max,`, 'm'))
    expect((await run(['actions:export', '--format', 'ndjson', ...app])).stdout).to.include(`{"id":${MAX},"action":"max"`)
  })

  it('done, update and remove find them, change only them, and print them as list --json does', async function () {
    const done = await run(['actions:done', ABOVE_2_53, '--json', ...app])
    expect(done.exitCode, done.stderr).to.equal(0)
    const update = await run(['actions:update', MAX, '--path', '/max', '--json', ...app])
    expect(update.exitCode, update.stderr).to.equal(0)
    const [doneLine, updateLine] = await listed(ABOVE_2_53, MAX)
    expect(done.stdout).to.equal(`[\n${doneLine}\n]\n`)
    expect(update.stdout).to.equal(`[\n${updateLine}\n]\n`)
    const remove = await run(['actions:remove', ABOVE_2_53, MAX, '--confirm', APP, '--json', ...app])
    expect(remove.exitCode, remove.stderr).to.equal(0)
    expect(remove.stdout).to.equal(`[\n${doneLine},\n${updateLine}\n]\n`)
    expect(await stored()).to.deep.equal([{id: '5', path: '/s', status: false}])
  })

  it('add --json prints a new id above 2^53 exactly', async function () {
    await remote.query("SELECT setval(pg_get_serial_sequence('actions', 'id'), $1)", [ABOVE_2_53])
    const add = await run(['actions:add', 'next', '/n', '--json', ...app])
    expect(add.exitCode, add.stderr).to.equal(0)
    const [line] = await listed('9007199254740994')
    expect(add.stdout).to.equal(`[\n${line}\n]\n`)
  })

  it('an id one away from a stored one is not taken for it', async function () {
    const {exitCode, stderr} = await run(['actions:done', '9007199254740992', ...app])
    expect(exitCode).to.equal(1)
    expect(stderr).to.include('no action with id 9007199254740992')
    expect((await stored()).map(r => r.status)).to.deep.equal([false, false, false])
  })
})
