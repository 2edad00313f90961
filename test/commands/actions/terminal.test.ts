import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'

import {appWithActions} from '../../support/actions.js'
import {ROOT} from '../../support/run.js'
import {remote} from '../../support/targets.js'
import {useTempDir} from '../../support/temp-dir.js'

const ROWS = 300_000

/**
 * bin/run.js with a real terminal (a pseudo-terminal from util-linux's
 * `script`) for stdout and stderr, as a person at a shell would run it.
 * What the terminal showed comes back as one text.
 */
async function onTerminal(argv: string[]): Promise<string> {
  const command = [process.execPath, path.join(ROOT, 'bin/run.js'), ...argv].map(arg => `'${arg.replaceAll("'", "'\\''")}'`).join(' ')
  const {stdout} = await promisify(execFile)('script', ['--quiet', '--return', '--command', command, '/dev/null'], {cwd: ROOT, maxBuffer: 1 << 24})
  return stdout
}

/** What the live line drew: each redraw returns the cursor and clears the line first. */
function redraws(screen: string, verb: string): string[] {
  return screen.split('\r\u001B[2K').filter(part => part.startsWith(`${verb} `) && part.includes('actions/s'))
}

describe('progress on a terminal', function () {
  // real processes under script(1), some with many rows
  this.timeout(120_000)
  const temp = useTempDir('terminal-test-')

  beforeEach(async function () {
    await appWithActions([], remote)
  })

  it('import: a live line with rows, size, percent and rate, cleared, then the summary', async function () {
    const file = path.join(temp.dir(), 'many.csv')
    await writeFile(file, 'action,path\n' + 'deploy,/api/deploy\n'.repeat(ROWS))
    const screen = await onTerminal(['actions:import', file, ...remote.flags])
    const lines = redraws(screen, 'imported')
    expect(lines.length, screen).to.be.greaterThan(0)
    expect(lines.at(-1)).to.match(/^imported [\d,]+ actions, \d+\.\d MB \(\d+%\), [\d,]+ actions\/s$/)
    expect(screen).to.match(/\r\u001B\[2Kimported 300,000 actions in \d+\.\d s\r?\n/)
    expect(await remote.query('SELECT count(*)::int AS n FROM actions')).to.deep.equal([{n: ROWS}])
  })

  it('export: the same to a file, and the file holds every row', async function () {
    await remote.query(`INSERT INTO actions (action, path) SELECT 'deploy', '/api/' || i FROM generate_series(1, ${ROWS}) i`)
    const file = path.join(temp.dir(), 'out.csv')
    const screen = await onTerminal(['actions:export', '--output', file, ...remote.flags])
    expect(redraws(screen, 'exported').length, screen).to.be.greaterThan(0)
    expect(screen).to.match(/exported 300,000 actions in \d+\.\d s\r?\n/)
    expect((await readFile(file, 'utf8')).split('\n').length).to.equal(ROWS + 2)
  })
})
