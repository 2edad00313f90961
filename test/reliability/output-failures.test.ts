import {expect} from 'chai'

import {appWithActions} from '../support/actions.js'
import {COMMANDS, SAMPLE, withApp} from '../support/commands.js'
import {runBinInto} from '../support/run.js'
import {remote} from '../support/targets.js'
import {actionsInDb, APP} from '../support/world.js'

/**
 * what prints nothing on stdout: import reports on stderr, run's program
 * writes its own, watch writes only when a change comes (watch.test.ts tries
 * that with a full disk)
 */
const SILENT = new Set(['actions:import', 'actions:run', 'actions:watch'])

// #14: `actions:add x /x > /dev/full` stored the row, then printed a stack
// trace (which invites a retry, and a duplicate); `actions:list | head -1` said
// the database connection was lost
describe('stdout that cannot be written', function () {
  for (const [id, command] of Object.entries(COMMANDS).filter(([id]) => !SILENT.has(id))) {
    it(`${id} > /dev/full: one line, exit 1${command.writes ? ', and says the change was made' : ''}`, async function () {
      await appWithActions(SAMPLE, remote)
      const {exitCode, stderr} = await runBinInto(withApp(command.ok), '> /dev/full')
      expect(exitCode, stderr).to.equal(1)
      if (id === 'actions:apply') {
        // apply prints its plan before it applies it: nothing is applied, and it says so
        expect(stderr).to.match(/^ › {3}Error: could not write the plan[^\n]*the disk is full[^\n]*\n$/)
        expect((await actionsInDb()).map(r => r.action)).to.deep.equal(SAMPLE.map(([action]) => action))
        return
      }

      expect(stderr).to.match(/^ › {3}Error: [^\n]*could not write the output: the disk is full\n$/)
      if (command.writes) expect(stderr).to.match(/Error: [^\n]+, but could not write/)
      else expect(stderr).to.match(/Error: could not write/)
    })
  }

  it('actions:add > /dev/full stored the action once, and names its id', async function () {
    await appWithActions([], remote)
    const {stderr} = await runBinInto(['actions:add', 'deploy', '/api/deploy', '--app', APP], '> /dev/full')
    const rows = await actionsInDb()
    expect(rows).to.deep.equal([{
      action: 'deploy', id: 1, path: '/api/deploy', status: false,
    }])
    expect(stderr).to.equal(' ›   Error: added action 1, but could not write the output: the disk is full\n')
  })

  it('actions:done, update and remove > /dev/full made their change, and say so', async function () {
    await appWithActions(SAMPLE, remote)
    const done = await runBinInto(['actions:done', '1', '3', '--app', APP], '> /dev/full')
    expect(done.stderr).to.include('marked 2 actions done, but could not write')
    const update = await runBinInto(['actions:update', '2', '--path', '/v2', '--app', APP], '> /dev/full')
    expect(update.stderr).to.include('updated action 2, but could not write')
    const remove = await runBinInto(['actions:remove', '3', '--confirm', APP, '--app', APP], '> /dev/full')
    expect(remove.stderr).to.include('removed action 3, but could not write')
    expect(await actionsInDb()).to.deep.equal([
      {
        action: 'deploy', id: 1, path: '/api/deploy', status: true,
      },
      {
        action: 'backup', id: 2, path: '/v2', status: true,
      },
    ])
  })

  describe('a reader that stops early (| head -1)', function () {
    before(async function () {
      this.timeout(60_000)
      await appWithActions([], remote)
      await remote.query("INSERT INTO actions (action, path) SELECT 'action ' || g, '/path/' || g FROM generate_series(1, 200000) g")
    })

    for (const argv of [['actions:list'], ['actions:list', '--json'], ['actions:list', '--csv'], ['actions:sql', 'SELECT id, action FROM actions']]) {
      it(`${argv.join(' ')} | head -1 ends quietly with exit 0`, async function () {
        this.timeout(60_000)
        const {exitCode, stderr, stdout} = await runBinInto(withApp(argv), '| head -1')
        expect(stderr).to.equal('')
        expect(exitCode).to.equal(0)
        expect(stdout.split('\n')).to.have.length(2)
      })
    }
  })
})
