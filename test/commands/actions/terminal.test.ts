import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'
import stringWidth from 'string-width'

import {appWithActions} from '../../support/actions.js'
import {ROOT, run} from '../../support/run.js'
import {remote} from '../../support/targets.js'
import {useTempDir} from '../../support/temp-dir.js'

const ROWS = 300_000

/**
 * bin/run.js with a real terminal (a pseudo-terminal from util-linux's
 * `script`) for stdout and stderr, as a person at a shell would run it.
 * What the terminal showed comes back as one text.
 */
async function onTerminal(argv: string[], columns?: number): Promise<string> {
  const bin = [process.execPath, path.join(ROOT, 'bin/run.js'), ...argv].map(arg => `'${arg.replaceAll("'", String.raw`'\''`)}'`).join(' ')
  const command = columns ? `stty cols ${columns}; ${bin}` : bin
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

// #14: at 40 columns every row wrapped; emoji and CJK misaligned the columns
describe('tables on a terminal', function () {
  const PATH = '/日本語/パス/' + 'very/long/path/'.repeat(5)

  beforeEach(async function () {
    await appWithActions([['deploy 🚀', PATH, false], ['e\u0301clair', '/x', true]], remote)
  })

  /** the table's lines as the terminal showed them: controls and the spinner's lines gone */
  function tableLines(screen: string): string[] {
    const plain = screen.replaceAll(/\u001B\[[\d;]*[A-Za-z]/g, '')
    return plain.split(/\r?\n/).filter(line => /^(id|─|\d)/.test(line))
  }

  for (const argv of [['actions:list'], ['actions:sql', 'SELECT id, action, path, status FROM actions ORDER BY id']]) {
    it(`${argv[0]} fits 40 columns, cutting with …, and never cuts for a pipe`, async function () {
      const lines = tableLines(await onTerminal([...argv, ...remote.flags], 40))
      expect(lines.length).to.be.greaterThanOrEqual(4)
      for (const line of lines) expect(stringWidth(line), line).to.be.at.most(40)
      expect(lines.join('\n')).to.include('…')
      const piped = await run([...argv, ...remote.flags])
      expect(piped.stdout).to.include(PATH)
      expect(piped.stdout).not.to.include('…')
    })
  }

  it('aligns columns by what the terminal shows: emoji, CJK and combining marks', async function () {
    const {stdout} = await run(['actions:list', ...remote.flags])
    const lines = stdout.trimEnd().split('\n').filter(line => !line.startsWith('─'))
    expect(lines).to.have.length(3)
    const statusAt = lines.map(line => stringWidth(line.slice(0, line.search(/ (status|pending|done)/))))
    expect(new Set(statusAt).size, stdout).to.equal(1)
  })
})
