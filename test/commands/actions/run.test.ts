import {expect} from 'chai'

import {expectNoCredentials} from '../../support/refusal.js'
import {
  eventually, run, runBin, startBin, unwrap,
} from '../../support/run.js'
import {APP, freshApp, getWorld} from '../../support/world.js'

const WHO = "SELECT current_user || ' ' || ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"

/** A Node program that connects with node-postgres using nothing but its environment. */
function nodeClient(config: string): string[] {
  return ['node', '-e', `const pg = require('pg')
const client = new pg.Client(${config})
client.connect()
  .then(() => client.query(${JSON.stringify(WHO)}))
  .then(result => { console.log(Object.values(result.rows[0])[0]); return client.end() })
  .catch(error => { console.error(error.message); process.exit(1) })`]
}

describe('actions:run', function () {
  beforeEach(async function () {
    await freshApp()
  })

  it('gives a node-postgres program the PG* variables it needs', async function () {
    const {exitCode, stderr, stdout} = await runBin(['actions:run', '--app', APP, '--', ...nodeClient('{ssl: {rejectUnauthorized: false}}')])
    expect(exitCode, stderr).to.equal(0)
    expect(stdout).to.equal(`${getWorld().pg.user} true\n`)
  })

  it('gives a node-postgres program a DATABASE_URL it can use with the documented ssl option', async function () {
    const config = '{connectionString: process.env.DATABASE_URL, ssl: {rejectUnauthorized: false}}'
    const {exitCode, stderr, stdout} = await runBin(['actions:run', '--app', APP, '--', ...nodeClient(config)])
    expect(exitCode, stderr).to.equal(0)
    expect(stdout).to.equal(`${getWorld().pg.user} true\n`)
  })

  it('gives psql what it needs, from the PG* variables and from DATABASE_URL', async function () {
    const {user} = getWorld().pg
    const fromVars = await runBin(['actions:run', '--app', APP, '--', 'psql', '-Atc', WHO])
    expect(fromVars.exitCode, fromVars.stderr).to.equal(0)
    expect(fromVars.stdout).to.equal(`${user} true\n`)
    const fromUrl = await runBin(['actions:run', '--app', APP, '--', 'sh', '-c', `psql "$DATABASE_URL" -Atc "${WHO}"`])
    expect(fromUrl.exitCode, fromUrl.stderr).to.equal(0)
    expect(fromUrl.stdout).to.equal(`${user} true\n`)
  })

  it('passes PGSSLMODE=require on, and both psql and node-postgres connect with it', async function () {
    const env = {PGHOSTADDR: '127.0.0.2', PGSERVICE: 'elsewhere', PGSSLMODE: 'require'}
    // eslint-disable-next-line no-template-curly-in-string -- shell parameter expansion, for sh to expand
    const shown = await runBin(['actions:run', '--app', APP, '--', 'sh', '-c', 'echo "$PGSSLMODE ${PGHOSTADDR-none} ${PGSERVICE-none}"'], {env})
    expect(shown.stdout).to.equal('require none none\n')
    const psql = await runBin(['actions:run', '--app', APP, '--', 'psql', '-Atc', WHO], {env})
    expect(psql.exitCode, psql.stderr).to.equal(0)
    const node = await runBin(['actions:run', '--app', APP, '--', ...nodeClient('{ssl: {rejectUnauthorized: false}}')], {env})
    expect(node.exitCode, node.stderr).to.equal(0)
  })

  it("passes the command's stdin, stdout, stderr and exit code through", async function () {
    const script = "let s = ''; process.stdin.on('data', d => { s += d }); process.stdin.on('end', () => { console.log(s.toUpperCase()); console.error('to stderr'); process.exit(7) })"
    const {exitCode, stderr, stdout} = await runBin(['actions:run', '--app', APP, '--', 'node', '-e', script], {input: 'piped in'})
    expect(exitCode).to.equal(7)
    expect(stdout).to.equal('PIPED IN\n')
    expect(stderr).to.equal('to stderr\n')
  })

  it('passes SIGTERM and SIGINT on to the command, and its exit code back', async function () {
    for (const [signal, code] of [['SIGTERM', 42], ['SIGINT', 43]] as const) {
      const script = `process.on('${signal}', () => { console.log('got ${signal}'); process.exit(${code}) }); console.log('ready'); setInterval(() => {}, 1000)`
      const running = startBin(['actions:run', '--app', APP, '--', 'node', '-e', script], {input: ''})
      await eventually(() => (running.output().includes('ready') ? true : undefined), 15_000, 'the command to start')
      running.child.kill(signal)
      const {exitCode, stdout} = await running.done
      expect(exitCode, signal).to.equal(code)
      expect(stdout).to.equal(`ready\ngot ${signal}\n`)
    }
  })

  it('exits 128 + the signal number when a signal ends the command', async function () {
    const running = startBin(['actions:run', '--app', APP, '--', 'sh', '-c', 'echo ready; exec sleep 30'], {input: ''})
    await eventually(() => (running.output().includes('ready') ? true : undefined), 15_000, 'the command to start')
    running.child.kill('SIGTERM')
    const {exitCode} = await running.done
    expect(exitCode).to.equal(143)
  })

  it('hands over the credentials of the moment: a rotation between two runs is picked up', async function () {
    const {api, pg} = getWorld()
    const before = await runBin(['actions:run', '--app', APP, '--', 'psql', '-Atc', 'SELECT 1'])
    expect(before.exitCode, before.stderr).to.equal(0)
    const oldPassword = pg.password
    api.setDatabaseUrl(APP, 'DATABASE', await pg.rotatePassword())
    const after = await runBin(['actions:run', '--app', APP, '--', 'sh', '-c', 'test "$PGPASSWORD" != "$OLD" && psql -Atc "SELECT 2"'], {env: {OLD: oldPassword}})
    expect(after.exitCode, after.stderr).to.equal(0)
    expect(after.stdout).to.equal('2\n')
  })

  it('says when the command does not exist, exits 127, and never shows the credentials', async function () {
    const {exitCode, stderr, stdout} = await runBin(['actions:run', '--app', APP, '--', 'no-such-command-here'])
    expect(exitCode).to.equal(127)
    expect(unwrap(stderr)).to.include('no-such-command-here: command not found')
    expectNoCredentials({exitCode, stderr, stdout})
  })

  // #14: oclif sorted a non-strict command's argv by first occurrence, and
  // took -a after the program for our own --app
  it('passes everything after -- exactly as typed: order, repeats, empty strings, our own flags', async function () {
    const args = ['-c', 'a', '-c', 'b', '', '-a', 'other', '--app', APP, '-r', 'x', '--local', '--', '-v', 'x=1', '--json', '-']
    const expected = args.map(arg => `[${arg}]`).join('')
    for (const argv of [
      ['actions:run', '--app', APP, '--', 'printf', '[%s]', ...args],
      ['actions:run', '-a', APP, 'printf', '[%s]', ...args],
      ['actions:run', `--app=${APP}`, '--', 'printf', '[%s]', ...args],
    ]) {
      const {exitCode, stderr, stdout} = await runBin(argv)
      expect(exitCode, stderr).to.equal(0)
      expect(stdout, argv.join(' ')).to.equal(expected)
    }
  })

  it('passes -a after -- to the program under --local too, instead of refusing it as --app', async function () {
    const {exitCode, stderr, stdout} = await runBin(['actions:run', '--local', '--', 'printf', '[%s]', '-a', 'x', '-a', 'x'])
    expect(exitCode, stderr).to.equal(0)
    expect(stdout).to.equal('[-a][x][-a][x]')
  })

  it('refuses a flag of its own it does not know, before the command, with exit 2', async function () {
    const {exitCode, stderr} = await runBin(['actions:run', '--app', APP, '--bogus', '--', 'true'])
    expect(exitCode).to.equal(2)
    expect(unwrap(stderr)).to.include('--bogus')
  })

  it('asks for a command when none is given', async function () {
    const {error, exitCode} = await run(['actions:run', '--app', APP])
    expect(exitCode).to.equal(1)
    expect(error?.message).to.include('no command given: put it after --')
  })
})
