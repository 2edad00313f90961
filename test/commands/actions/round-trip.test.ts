import {expect} from 'chai'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'

import {appWithActions} from '../../support/actions.js'
import {run, runBin} from '../../support/run.js'
import {remote} from '../../support/targets.js'
import {useTempDir} from '../../support/temp-dir.js'
import {APP} from '../../support/world.js'

const app = ['--app', APP]

/** Rows a format gets wrong: big ids, quotes, commas, line breaks, brackets and braces, Unicode. */
async function awkwardRows(): Promise<void> {
  await appWithActions([], remote)
  await remote.query(`INSERT INTO actions (id, action, path, status) OVERRIDING SYSTEM VALUE VALUES
    (1, 'deploy', '/api/deploy', false),
    (2, 'say "hi", then
leave', '/[x]/{y}', true),
    (9007199254740993, 'é 🚀', ' /edge ', false),
    (9223372036854775807, '[1,2]', '{"id":5}', true)`)
}

async function listed(): Promise<string> {
  const {exitCode, stderr, stdout} = await run(['actions:list', '--json', ...app])
  expect(exitCode, stderr).to.equal(0)
  return stdout
}

/** Empty the table, import `file`, and give back what list --json then prints. */
async function reimported(file: string, ...flags: string[]): Promise<string> {
  await remote.query('TRUNCATE actions')
  const result = await run(['actions:import', file, ...flags, ...app])
  expect(result.exitCode, result.error?.message).to.equal(0)
  return listed()
}

// #14: `export --output backup.json` wrote CSV, which import read as NDJSON;
// `list --json > x.json; import x.json` failed
describe('export and import agree on every file name, and import reads what list --json prints', function () {
  const temp = useTempDir('round-trip-')

  beforeEach(awkwardRows)

  for (const name of ['backup.csv', 'backup.ndjson', 'backup.jsonl', 'backup.json', 'BACKUP.JSON', 'backup', 'backup.txt']) {
    it(`export --output ${name}, then import ${name}: the same rows, ids and timestamps`, async function () {
      const before = await listed()
      const file = path.join(temp.dir(), name)
      const exported = await run(['actions:export', '--output', file, ...app])
      expect(exported.exitCode, exported.error?.message).to.equal(0)
      expect(await reimported(file)).to.equal(before)
    })
  }

  it('export --format json writes what list --json prints; a name that says nothing is read by its content', async function () {
    const before = await listed()
    const file = path.join(temp.dir(), 'backup.dat')
    expect((await run(['actions:export', '--format', 'json', '--output', file, ...app])).exitCode).to.equal(0)
    expect((await run(['actions:export', '--format', 'json', ...app])).stdout).to.equal(before)
    expect(await reimported(file)).to.equal(before)
  })

  it('list --json > x.json, then import x.json, and from stdin', async function () {
    const before = await listed()
    const file = path.join(temp.dir(), 'x.json')
    await writeFile(file, before)
    expect(await reimported(file)).to.equal(before)
    await remote.query('TRUNCATE actions')
    const piped = await runBin(['actions:import', '-', ...app], {input: before})
    expect(piped.exitCode, piped.stderr).to.equal(0)
    expect(await listed()).to.equal(before)
  })

  it('reads NDJSON in a file named .json, and a JSON array in one named .ndjson', async function () {
    const before = await listed()
    const ndjson = (await run(['actions:export', '--format', 'ndjson', ...app])).stdout
    await writeFile(path.join(temp.dir(), 'lines.json'), ndjson)
    expect(await reimported(path.join(temp.dir(), 'lines.json'))).to.equal(before)
    await writeFile(path.join(temp.dir(), 'array.ndjson'), before)
    expect(await reimported(path.join(temp.dir(), 'array.ndjson'))).to.equal(before)
  })
})
