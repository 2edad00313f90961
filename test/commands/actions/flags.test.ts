import {expect} from 'chai'
import {execFile, spawn} from 'node:child_process'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'

import {appWithActions} from '../../support/actions.js'
import {parseCsv} from '../../support/csv.js'
import {
  ROOT, run, runBin, unwrap,
} from '../../support/run.js'
import {useTempDir} from '../../support/temp-dir.js'
import {actionsInDb, APP, getWorld} from '../../support/world.js'

/**
 * Flags and inputs no other test passes: -r/--remote, export -o and --force,
 * sql -f / --file - / an argument with --file, import of a directory or of a
 * terminal, init --dry-run, and remove's prompt on a terminal.
 */

const ROWS: Array<[string, string, boolean]> = [['deploy', '/api/deploy', false], ['backup', '/api/backup', true]]

/** bin/run.js on a pseudo-terminal (util-linux script), `input` typed into it; what the terminal showed, and the exit code. */
async function onTerminal(argv: string[], input: string): Promise<{code: null | number; screen: string}> {
  const command = [process.execPath, path.join(ROOT, 'bin/run.js'), ...argv].map(arg => `'${arg.replaceAll("'", String.raw`'\''`)}'`).join(' ')
  const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe']})
  let screen = ''
  child.stdout.on('data', chunk => {
    screen += chunk
  })
  child.stdin.write(input)
  const code = await new Promise<null | number>(resolve => {
    child.on('close', resolve)
  })
  return {code, screen}
}

describe('flags and inputs that no other test passes', function () {
  this.timeout(60_000)
  const temp = useTempDir('flags-test-')

  beforeEach(async function () {
    await appWithActions(ROWS)
  })

  describe('-r/--remote: the app from a git remote of the working directory', function () {
    it('takes the app from the remote named, as the Heroku CLI does', async function () {
      const git = (...args: string[]) => promisify(execFile)('git', args, {cwd: temp.dir()})
      await git('init', '--quiet')
      await git('remote', 'add', 'heroku', `https://git.heroku.com/${APP}.git`)
      await git('remote', 'add', 'staging', 'https://git.heroku.com/example-app-staging.git')
      // the git host follows HEROKU_HOST (the stand-in) unless HEROKU_GIT_HOST says otherwise
      const env = {HEROKU_GIT_HOST: 'git.heroku.com'}
      const short = await runBin(['actions:list', '--json', '-r', 'heroku'], {cwd: temp.dir(), env})
      expect(short.exitCode, short.stderr).to.equal(0)
      expect(JSON.parse(short.stdout).map((r: {action: string}) => r.action)).to.deep.equal(['deploy', 'backup'])
      const staging = await runBin(['actions:list', '--json', '--remote', 'staging'], {cwd: temp.dir(), env})
      expect(staging.exitCode).to.equal(1)
      expect(unwrap(staging.stderr)).to.include('example-app-staging')
    })
  })

  describe('actions:export -o and --force', function () {
    it('-o writes the file, and nothing on stdout', async function () {
      const file = path.join(temp.dir(), 'out.csv')
      const {exitCode, stderr, stdout} = await run(['actions:export', '-o', file, '--app', APP])
      expect(exitCode, stderr).to.equal(0)
      expect(stdout).to.equal('')
      expect(parseCsv(await readFile(file, 'utf8')).slice(1).map(row => row[1])).to.deep.equal(['deploy', 'backup'])
    })

    it('--force without --output is refused before anything is asked', async function () {
      getWorld().api.requests = []
      const {error, exitCode, stdout} = await run(['actions:export', '--force', '--app', APP])
      expect(exitCode).to.equal(2)
      expect(error?.message).to.match(/--output/)
      expect(stdout).to.equal('')
      expect(getWorld().api.requests).to.deep.equal([])
    })
  })

  describe('actions:sql: -f, --file -, and an argument with --file', function () {
    it('-f reads the script from a file', async function () {
      const file = path.join(temp.dir(), 'script.sql')
      await writeFile(file, 'UPDATE actions SET status = true WHERE id = 1;\nSELECT count(*) AS done FROM actions WHERE status;\n')
      const {exitCode, stderr, stdout} = await run(['actions:sql', '-f', file, '--app', APP, '--json'])
      expect(exitCode, stderr).to.equal(0)
      expect(stdout).to.include('"done"')
      expect((await actionsInDb()).map(r => r.status)).to.deep.equal([true, true])
    })

    it('--file - reads the script from stdin', async function () {
      const {exitCode, stderr} = await runBin(['actions:sql', '--file', '-', '--app', APP], {input: "UPDATE actions SET path = '/from/stdin' WHERE id = 2"})
      expect(exitCode, stderr).to.equal(0)
      expect((await actionsInDb())[1].path).to.equal('/from/stdin')
    })

    it('a script in Latin-1 piped on stdin, without --file, is refused by line too (oclif does not take stdin for the argument)', async function () {
      const before = await actionsInDb()
      const {exitCode, stderr} = await runBin(['actions:sql', '--app', APP], {input: Buffer.from("SELECT 1;\nUPDATE actions SET action = 'caf\u00E9';\n", 'latin1')})
      expect(exitCode).to.equal(1)
      expect(unwrap(stderr)).to.include('line 2: the text is not valid UTF-8')
      expect(await actionsInDb()).to.deep.equal(before)
    })

    it('an argument together with --file is refused, and nothing runs', async function () {
      const file = path.join(temp.dir(), 'script.sql')
      await writeFile(file, 'DELETE FROM actions')
      const before = await actionsInDb()
      const {error, exitCode} = await run(['actions:sql', 'DELETE FROM actions', '--file', file, '--app', APP])
      expect(exitCode).to.equal(1)
      expect(error?.message).to.equal('give the SQL either as an argument or with --file, not both')
      expect(await actionsInDb()).to.deep.equal(before)
    })
  })

  describe('actions:import of what is not a file', function () {
    it('a directory given as the file is refused by name, and nothing is imported', async function () {
      const dir = path.join(temp.dir(), 'rows.csv')
      await mkdir(dir)
      const before = await actionsInDb()
      const {error, exitCode} = await run(['actions:import', dir, '--app', APP])
      expect(exitCode).to.equal(1)
      expect(error?.message).to.equal(`cannot import ${dir}: it is not a file`)
      expect(await actionsInDb()).to.deep.equal(before)
    })

    it('- on a terminal is refused rather than waiting for typed rows', async function () {
      const {code, screen} = await onTerminal(['actions:import', '-', '--format', 'csv', '--app', APP], '')
      expect(code).to.equal(1)
      expect(unwrap(screen.replaceAll('\r', ''))).to.match(/Error: .*terminal/)
      expect(await actionsInDb()).to.have.length(2)
    })
  })

  describe('actions:init --dry-run', function () {
    it('on an up-to-date table: says there is nothing to do, and changes nothing', async function () {
      const before = await getWorld().pg.query('SELECT version FROM heroku_actions_migrations ORDER BY version')
      const {exitCode, stderr, stdout} = await run(['actions:init', '--dry-run', '--app', APP])
      expect(exitCode, stderr).to.equal(0)
      expect(stdout + stderr).to.match(/up to date|nothing to do/i)
      expect(await getWorld().pg.query('SELECT version FROM heroku_actions_migrations ORDER BY version')).to.deep.equal(before)
    })

    it("on the tutorial's table: shows the upgrade, and leaves the table as it was", async function () {
      const {pg} = getWorld()
      await pg.query('DROP TABLE IF EXISTS actions, heroku_actions_migrations, heroku_actions_changes')
      await pg.query('CREATE TABLE actions (action VARCHAR(255) NOT NULL, path VARCHAR(255) NOT NULL, status BOOLEAN NOT NULL DEFAULT FALSE)')
      await pg.query(`ALTER TABLE actions OWNER TO ${JSON.stringify(pg.user)}`)
      await pg.query("INSERT INTO actions (action, path) VALUES ('deploy', '/api/deploy')")
      const {exitCode, stderr, stdout} = await run(['actions:init', '--dry-run', '--app', APP])
      expect(exitCode, stderr).to.equal(0)
      expect(stdout).to.match(/ALTER TABLE/i)
      const columns = await pg.query<{column_name: string}>("SELECT column_name FROM information_schema.columns WHERE table_name = 'actions' ORDER BY ordinal_position")
      expect(columns.map(c => c.column_name)).to.deep.equal(['action', 'path', 'status'])
      expect(await pg.query("SELECT to_regclass('heroku_actions_migrations') AS t")).to.deep.equal([{t: null}])
    })
  })

  describe('actions:remove on a terminal', function () {
    it('asks for the app name, and removes once it is typed', async function () {
      const {code, screen} = await onTerminal(['actions:remove', '2', '--app', APP], `${APP}\n`)
      expect(code, screen).to.equal(0)
      expect(screen).to.include(`Removing an action cannot be undone. To proceed, type ${APP}: `)
      expect((await actionsInDb()).map(r => r.id)).to.deep.equal([1])
    })

    it('removes nothing when another name is typed', async function () {
      const {code, screen} = await onTerminal(['actions:remove', '2', '--app', APP], 'other-app\n')
      expect(code, screen).to.equal(1)
      expect(unwrap(screen.replaceAll('\r', ''))).to.include(`confirmation did not match ${APP}: nothing was changed`)
      expect((await actionsInDb()).map(r => r.id)).to.deep.equal([1, 2])
    })
  })
})

