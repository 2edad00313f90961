import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {appWithActions} from '../support/actions.js'
import {
  COMMANDS, SAMPLE, Slot, withApp, withFlags,
} from '../support/commands.js'
import {errorLine} from '../support/error-line.js'
import {
  ROOT, run, runBin, RunResult,
} from '../support/run.js'
import {actionsInDb, APP, getWorld} from '../support/world.js'

/** Text a user might pass, on purpose or not, that must be stored exactly as given. */
const STORED: Record<string, string> = {
  '255 characters, 254 of them combining marks': 'a' + '\u0301'.repeat(254),
  '255 characters of 4 bytes each': '😀'.repeat(255),
  'a dollar-quoted string': '$$; DROP TABLE actions; $$',
  'a parameter marker': '$1',
  'a psql meta-command': String.raw`\! touch /tmp/pwned`,
  'a quote and a statement': "x'); DROP TABLE actions; --",
  'a right-to-left override': '\u202Efdp.exe',
  'a tautology': "' OR '1'='1",
  backslashes: String.raw`\'; \\ \x27 E'\n'`,
  'C1 controls and DEL': 'a\u0085b\u009Bc\u007F',
  'combining marks': 'Z\u0351\u0352a\u0301\u0302l\u0304g\u0305o\u0306',
  'emoji sequences': '👩‍👩‍👧‍👦 🇳🇴 ✋🏽',
  'LIKE wildcards': String.raw`%_\%`,
  'NFC and NFD forms of one letter': '\u00E9 e\u0301',
  'noncharacters and private use': '\uFDD0\uFFFE\uE000 𝕏',
  'right-to-left text': 'שלום עולם مرحبا',
  'space around': '  deploy  ',
  'tab, line feed, carriage return': 'a\tb\nc\r\nd',
  'terminal escape sequences': '\u001B[2J\u001B]0;pwned\u0007',
  'zero-width characters and a BOM': '\uFEFFde\u200Bploy\u200D',
}

/** Text that cannot be stored as given: refused, with a message saying why. */
const REFUSED: Record<string, [string, RegExp]> = {
  '256 characters, 255 of them combining marks': ['a' + '\u0301'.repeat(255), /is 256 characters long/],
  '256 characters of 4 bytes each': ['😀'.repeat(256), /is 256 characters long; at most 255 fit: shorten it/],
  'a lone surrogate': ['a\uD800b', /is not valid Unicode/],
  'a NUL byte': ['a\u0000b', /contains a NUL byte/],
  'a very long argument (1 MB)': ['x'.repeat(1_000_000), /is 1000000 characters long/],
  nothing: ['', /is empty: give a value/],
  'only white space': [' \t\n ', /is empty: give a value/],
  'the mark of text that was not UTF-8 (U+FFFD)': ['caf\uFFFD', /not valid UTF-8.*: .*encoding/],
}

const HOSTILE_IDS = ['1; DROP TABLE actions', '1 OR 1=1', '0', '1.5', '1e3', '0x1', '\u0661', '\uFF11', '99999999999999999999', "' OR ''='", '$1', '1\n2', '']

const HOSTILE_APPS = ["x'; DROP TABLE actions; --",
  '../../apps',
  'example-app/../other-app',
  'example-app?x=1',
  'example-app#x',
  '%2e%2e%2fapps',
  'example-app/config-vars',
  'Example-App',
  'ex ample',
  'éxample',
  'example-app\n',
  '\u202Eppa-elpmaxe']

const HOSTILE_DATABASES = ["x'; DROP TABLE actions; --",
  '../../apps',
  'DATABASE/../../x',
  '../../apps::DATABASE',
  "x'; DROP::DATABASE",
  'example-app::../../x',
  'DATABASE_URL?x=1',
  '\u001B[2J',
  'a\nb',
  '🙂',
  '%00']

/** Every path the plugin may ask the Platform API for. */
const API_PATH = /^\/(actions\/addon-attachments\/resolve|apps\/example-app\/(config-vars|addon-attachments|addons))$/

/** What a refusal must look like; undefined when it does. */
function badRefusal(result: RunResult, message: RegExp): string | undefined {
  const text = result.error?.message ?? result.stderr
  if (result.exitCode === 0) return 'accepted'
  if (!message.test(text)) return `refused with: ${text}`
  if (text.includes('\n')) return `a message of more than one line: ${text}`
  return undefined
}

function show(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 20)}…(${value.length})` : value)
}

describe('hostile and odd input, through every command', function () {
  this.timeout(120_000)

  const problems: string[] = []
  let rowsBefore: Awaited<ReturnType<typeof actionsInDb>>

  beforeEach(async function () {
    problems.length = 0
    await appWithActions(SAMPLE)
    rowsBefore = await actionsInDb()
  })

  /** Refused, with that message, and the table as it was. */
  async function expectRefused(what: string, argv: string[], message: RegExp): Promise<void> {
    const found = badRefusal(await run(argv), message)
    if (found) problems.push(`${what}: ${found}`)
    else if (JSON.stringify(await actionsInDb()) !== JSON.stringify(rowsBefore)) problems.push(`${what}: refused, but the table changed`)
  }

  function slots(kind: 'filters' | 'id' | 'refused' | 'stores'): Array<[string, string, Slot]> {
    return Object.entries(COMMANDS).flatMap(([id, c]) => Object.entries(c.slots ?? {}).filter(([, slot]) => kind in slot).map(([name, slot]) => [id, name, slot] as [string, string, Slot]))
  }

  for (const [id, name, slot] of slots('stores')) {
    it(`${id} ${name}: stores each odd value exactly (round trip through list --json), or refuses it and writes nothing`, async function () {
      const column = (slot as {stores: 'action' | 'path'}).stores
      for (const [what, value] of Object.entries(STORED)) {
        const result = await run(withApp(slot.argv(value)))
        const holding = (await actionsInDb()).filter(row => row[column] === value)
        if (result.exitCode !== 0 || holding.length !== 1) problems.push(`${what}: exit ${result.exitCode}, ${holding.length} rows hold it ${result.error?.message ?? ''}`)
      }

      // the table as list --json shows it, to the character
      const listed = JSON.parse((await run(withApp(['actions:list', '--json']))).stdout) as Array<Record<string, unknown>>
      expect(listed.map(({action, id, path, status}) => ({
        action, id, path, status,
      }))).to.deep.equal(await actionsInDb())
      rowsBefore = await actionsInDb()
      for (const [what, [value, message]] of Object.entries(REFUSED)) await expectRefused(what, withApp(slot.argv(value)), message)
      expect(problems.join('\n')).to.equal('')
    })
  }

  for (const [id, name, slot] of slots('filters')) {
    it(`${id} ${name}: filters by each odd value as text, never as SQL or a pattern`, async function () {
      const column = (slot as {filters: 'action' | 'path'}).filters
      const values = Object.values(STORED)
      await getWorld().pg.query('INSERT INTO actions (action, path) SELECT v, v FROM unnest($1::text[]) v', [values])
      const all = await actionsInDb()
      for (const [what, value] of Object.entries(STORED)) {
        const result = await run(withApp(slot.argv(value)))
        const matches = (text: string) => (column === 'action' ? text === value : text.startsWith(value))
        const expected = all.filter(row => matches(row[column])).map(row => row.id)
        const ids = (slot as {ids?: (stdout: string) => number[]}).ids ?? ((stdout: string) => (JSON.parse(stdout) as Array<{id: number}>).map(row => row.id))
        const listed = result.exitCode === 0 ? ids(result.stdout) : result.error?.message
        if (JSON.stringify(listed) !== JSON.stringify(expected)) problems.push(`${what}: listed ${JSON.stringify(listed)}, expected ${JSON.stringify(expected)}`)
      }

      expect(problems.join('\n')).to.equal('')
    })
  }

  for (const [id, name, slot] of slots('id')) {
    it(`${id} ${name}: refuses anything but a positive whole number, and changes nothing`, async function () {
      for (const value of HOSTILE_IDS) await expectRefused(show(value), withApp(slot.argv(value)), /is not an action id: ids are positive whole numbers/)
      expect(problems.join('\n')).to.equal('')
    })
  }

  for (const [id, name, slot] of slots('refused')) {
    it(`${id} ${name}: refuses every odd value, and changes nothing`, async function () {
      const values = [...Object.values(STORED), ...Object.values(REFUSED).map(([value]) => value)]
      for (const value of values) await expectRefused(show(value), withApp(slot.argv(value)), /nothing was changed|is empty|does not match/)
      expect(problems.join('\n')).to.equal('')
    })
  }

  describe('through a real process boundary', function () {
    it('arguments in UTF-8 arrive and are stored exactly', async function () {
      const pairs = [['255 characters of 4 bytes each', 'right-to-left text'],
        ['combining marks', 'terminal escape sequences'],
        ['tab, line feed, carriage return', 'zero-width characters and a BOM']]
      for (const [action, path] of pairs) {
        const {exitCode, stderr} = await runBin(withApp(['actions:add', STORED[action], STORED[path]]))
        expect(exitCode, stderr).to.equal(0)
      }

      expect((await actionsInDb()).slice(SAMPLE.length).map(r => [r.action, r.path])).to.deep.equal(pairs.map(([a, p]) => [STORED[a], STORED[p]]))
    })

    it('an argument in Latin-1 is refused, not stored garbled', async function () {
      // Node passes only strings to a child; the shell passes the byte 0xE9 (é in Latin-1) as it is
      const script = `exec "$0" bin/run.js actions:add "caf$(printf '\\351')" /menu --app ${APP}`
      const {code, stderr} = await new Promise<{code: null | number; stderr: string}>(resolve => {
        execFile('/bin/sh', ['-c', script, process.execPath], {cwd: ROOT}, (error, _stdout, stderr) => resolve({code: error ? error.code as number : 0, stderr}))
      })
      expect(code).to.equal(1)
      expect(errorLine(stderr)).to.equal('action contains U+FFFD, the mark of text that was not valid UTF-8: fix the encoding of the value (UTF-8 expected)')
      expect(await actionsInDb()).to.deep.equal(rowsBefore)
    })
  })

  it(String.raw`actions:list shows control characters in a table as \xHH, never raw to the terminal`, async function () {
    await getWorld().pg.query('INSERT INTO actions (action, path) VALUES ($1, $2)', [STORED['terminal escape sequences'], STORED['C1 controls and DEL']])
    const {stdout} = await run(withApp(['actions:list']))
    expect(stdout).to.include(String.raw`\x1B[2J\x1B]0;pwned\x07`)
    expect(stdout).to.include(String.raw`a\x85b\x9Bc\x7F`)
    expect(stdout.replaceAll('\n', '')).to.not.match(/[\u0000-\u001F\u007F-\u009F]/)
  })

  // Commands that read a file join through `file` in COMMANDS, and here with input of their own kind:
  // each file is either refused with its own message (naming the line), or read (exit 0) without garbling.
  const MB16 = 'x'.repeat(16 * 1024 * 1024)
  const SQL_UPDATE = "UPDATE actions SET action = 'x' WHERE id = 1;\n"
  const FILES: Record<string, Record<string, [Buffer, 'read' | RegExp]>> = {
    'actions:import': {
      'a file in Latin-1': [Buffer.from('action,path\ncaf\u00E9,/menu\n', 'latin1'), /^line 2: the text is not valid UTF-8 .*: save the file as UTF-8; nothing was imported$/],
      'a file in UTF-8, with a BOM': [Buffer.from('\uFEFFaction,path\ncaf\u00E9,/menu\n'), 'read'],
      'a file in UTF-16 with a BOM': [Buffer.from('\uFEFFaction,path\ndeploy,/api\n', 'utf16le'), /^line 1: the text is not valid UTF-8 /],
      'a file with a NUL byte': [Buffer.from('action,path\nde\u0000ploy,/api\n'), /^line 2: action contains a NUL byte/],
      'a huge line (16 MB)': [Buffer.from(`action,path\n${MB16},/p\n`), /^line 2: the record is longer than 1048576 characters/],
      'an empty file': [Buffer.alloc(0), 'read'],
    },
    'actions:sql': {
      'a file cut inside a character': [Buffer.concat([Buffer.from(`${SQL_UPDATE}\n-- caf`), Buffer.from('\u00E9').subarray(0, 1)]), /^line 3: the text is not valid UTF-8 /],
      'a file in Latin-1': [Buffer.from(`${SQL_UPDATE}UPDATE actions SET action = 'caf\u00E9' WHERE id = 1;\n`, 'latin1'),
        /^line 2: the text is not valid UTF-8 .*: save the file as UTF-8; nothing was run$/],
      'a file in UTF-8, with a BOM': [Buffer.from('\uFEFFUPDATE actions SET action = \'caf\u00E9\' WHERE id = 1;\n'), 'read'],
      'a file in UTF-16 with a BOM': [Buffer.from(`\uFEFF${SQL_UPDATE}`, 'utf16le'), /^line 1: the text is not valid UTF-8 /],
      'a file with a NUL byte': [Buffer.from(`${SQL_UPDATE}UPDATE actions SET action = 'de\u0000ploy' WHERE id = 1;\n`), /^line 2: the SQL contains a NUL byte/],
      'a huge line (16 MB)': [Buffer.from(`UPDATE actions SET action = '${MB16}' WHERE id = 1;\n`),
        /^error in statement 1 of 1 \(line 1\): value too long for type character varying\(255\) \(SQLSTATE 22001\); nothing was committed/],
      'an empty file': [Buffer.alloc(0), /^no SQL statement given: pass it as an argument, with --file, or on stdin$/],
    },
  }
  // apply reads the same files as import, through the same readers; what it did not do is change the table
  FILES['actions:apply'] = Object.fromEntries(Object.entries(FILES['actions:import']).map(([name, [bytes, outcome]]) =>
    [name, [bytes, outcome === 'read' ? outcome : new RegExp(outcome.source.replace('nothing was imported', 'nothing was changed'))]]))

  it('every command that reads a file has files of its own kind here', function () {
    expect(Object.keys(FILES).sort()).to.deep.equal(Object.entries(COMMANDS).filter(([, c]) => c.file).map(([id]) => id).sort())
  })

  for (const [id, command] of Object.entries(COMMANDS).filter(([, c]) => c.file)) {
    it(`${id}: a wrong encoding, a NUL byte, a huge line, an empty file: each refused with its own message and nothing written, or read without garbling`, async function () {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'hostile-files-'))
      try {
        for (const [what, [bytes, expected]] of Object.entries(FILES[id] ?? {})) {
          await appWithActions(SAMPLE)
          const file = path.join(dir, 'input')
          await writeFile(file, bytes)
          const result = await run(withApp(command.file!(file)))
          const rows = await actionsInDb()
          if (expected === 'read') {
            if (result.exitCode !== 0) problems.push(`${what}: expected to be read, refused with: ${result.error?.message}`)
            else if (rows.some(r => /[\u0000\uFEFF\uFFFD]/.test(r.action + r.path))) problems.push(`${what}: stored garbled text`)
            else if (bytes.length > 0 && !rows.some(r => r.action === 'caf\u00E9')) problems.push(`${what}: read, but café is not in the table`)
          } else {
            const found = badRefusal(result, expected)
            if (found) problems.push(`${what}: ${found}`)
            if (JSON.stringify(rows) !== JSON.stringify(rowsBefore)) problems.push(`${what}: refused, but the table changed`)
          }
        }
      } finally {
        await rm(dir, {force: true, recursive: true})
      }

      expect(problems.join('\n')).to.equal('')
    })
  }

  for (const [id, command] of Object.entries(COMMANDS)) {
    it(`${id} --app: refuses what is not an app name before asking the Platform API anything`, async function () {
      for (const app of HOSTILE_APPS) {
        getWorld().api.requests = []
        await expectRefused(`--app ${show(app)}`, withApp(command.ok, app), /is not an app name: app names are lowercase letters, digits and dashes/)
        if (getWorld().api.requests.length > 0) problems.push(`--app ${show(app)}: asked ${getWorld().api.requests.map(r => r.path).join(', ')}`)
      }

      expect(problems.join('\n')).to.equal('')
    })

    it(`${id} --database: refuses odd names with one clear line, and asks only the usual API paths`, async function () {
      getWorld().api.requests = []
      for (const database of HOSTILE_DATABASES) {
        await expectRefused(`--database ${show(database)}`, withApp(withFlags(command.ok, '--database', database)), /has no database .*: pass --database with one of|is not an app name|not found/)
      }

      const odd = getWorld().api.requests.map(r => r.path).filter(path => !API_PATH.test(path))
      expect(problems.join('\n')).to.equal('')
      expect(odd).to.deep.equal([])
    })
  }
})
