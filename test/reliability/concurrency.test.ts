import {expect} from 'chai'

import {appWithActions} from '../support/actions.js'
import {withApp} from '../support/commands.js'
import {errorLine} from '../support/error-line.js'
import {runBin, RunResult} from '../support/run.js'
import {
  actionsInDb, APP, freshApp, getWorld,
} from '../support/world.js'

// Separate processes, as several people (or a script's parallel jobs) would
// run them. Ten inits at once: test/commands/actions/init.test.ts.

/** The one error a user may see from a race: an id another command removed first. */
const MISSING = /^no action with ids? [\d, ]+; nothing was changed \(see heroku actions:list\)$/

function unexplained(results: RunResult[]): string[] {
  return results.filter(r => r.exitCode !== 0 && !MISSING.test(errorLine(r.stderr))).map(r => `exit ${r.exitCode}: ${r.stderr}`)
}

describe('commands run at the same time', function () {
  this.timeout(120_000)

  it('20 adds at once: 20 rows, each once, with the ids each add printed', async function () {
    await appWithActions()
    const results = await Promise.all(Array.from({length: 20}, (_, i) => runBin(withApp(['actions:add', `job-${i}`, `/jobs/${i}`, '--json']))))
    expect(results.map(r => `${r.exitCode} ${r.stderr}`)).to.deep.equal(Array.from({length: 20}, () => '0 '))
    const printed = results.map(r => JSON.parse(r.stdout)[0] as {action: string; id: number})
    const rows = await actionsInDb()
    expect(rows).to.have.length(20)
    expect(new Set(rows.map(r => r.id)).size).to.equal(20)
    expect(rows.map(r => r.action).sort()).to.deep.equal(Array.from({length: 20}, (_, i) => `job-${i}`).sort())
    for (const {action, id} of printed) expect(rows.find(r => r.id === id)?.action).to.equal(action)
  })

  it('done and remove on the same ids at once: each is whole, and the table is what the successful ones made', async function () {
    await appWithActions(Array.from({length: 10}, (_, i) => [`a${i + 1}`, `/a/${i + 1}`, false] as [string, string, boolean]))
    const commands: Array<['done' | 'remove', number[]]> = [
      ['done', [1, 2, 3, 4, 5]],
      ['done', [1, 2, 3, 4, 5]],
      ['done', [4, 5, 6, 7]],
      ['done', [8, 10]],
      ['remove', [3, 4]],
      ['remove', [3, 4]],
      ['remove', [8, 9]],
      ['remove', [10]],
      ['remove', [7, 1]],
    ]
    const results = await Promise.all(commands.map(([verb, ids]) => {
      const argv = [`actions:${verb}`, ...ids.map(String), '--json']
      return runBin(withApp(verb === 'remove' ? [...argv, '--confirm', APP] : argv))
    }))
    expect(unexplained(results)).to.deep.equal([])
    const succeeded = (verb: string) => commands.filter(([v], i) => v === verb && results[i].exitCode === 0).flatMap(([, ids]) => ids)
    const removed = new Set(succeeded('remove'))
    const done = new Set(succeeded('done'))
    // two identical removes: exactly one can have found the rows
    expect([results[4], results[5]].filter(r => r.exitCode === 0)).to.have.length(1)
    for (const [i, [verb, ids]] of commands.entries()) {
      if (results[i].exitCode === 0) expect(JSON.parse(results[i].stdout).map((r: {id: number}) => r.id), verb).to.deep.equal(ids)
    }

    const expected = Array.from({length: 10}, (_, i) => i + 1).filter(id => !removed.has(id))
    .map(id => ({
      action: `a${id}`, id, path: `/a/${id}`, status: done.has(id),
    }))
    expect(await actionsInDb()).to.deep.equal(expected)
  })

  it('5 updates of one action at once: each succeeds and the row ends as one of them, never a mix', async function () {
    await appWithActions([['deploy', '/api/deploy', false]])
    const results = await Promise.all(Array.from({length: 5}, (_, i) => runBin(withApp(['actions:update', '1', '--action', `v${i}`, '--path', `/v${i}`]))))
    expect(results.map(r => r.exitCode)).to.deep.equal(Array.from({length: 5}, () => 0))
    const [row] = await actionsInDb()
    expect(row.path).to.equal(`/${row.action}`)
  })

  it("5 inits at once on the tutorial's table: one upgrade, every row kept once", async function () {
    await freshApp()
    const {pg} = getWorld()
    await pg.query('CREATE TABLE actions (action VARCHAR(255) NOT NULL, path VARCHAR(255) NOT NULL, status BOOLEAN NOT NULL DEFAULT FALSE)')
    await pg.query(`ALTER TABLE actions OWNER TO "${pg.user}"`)
    await pg.query("INSERT INTO actions SELECT 'a' || n, '/a/' || n, n % 2 = 0 FROM generate_series(1, 50) n")
    const results = await Promise.all(Array.from({length: 5}, () => runBin(withApp(['actions:init']))))
    expect(results.map(r => `${r.exitCode} ${r.stderr}`)).to.deep.equal(Array.from({length: 5}, () => '0 '))
    expect(results.filter(r => r.stdout.includes('Upgraded'))).to.have.length(1)
    const rows = await actionsInDb()
    expect(rows.map(r => r.action).sort()).to.deep.equal(Array.from({length: 50}, (_, i) => `a${i + 1}`).sort())
    expect(new Set(rows.map(r => r.id)).size).to.equal(50)
  })
})
