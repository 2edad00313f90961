import {expect} from 'chai'

import {run, runBin} from '../../support/run.js'
import {APP, freshApp, getWorld} from '../../support/world.js'

// #14: usage errors came as three lines, two mirror-image lines with
// --csv=true, or the flag named twice with "See more help" on the same line;
// some exited 1, others 2
describe('usage errors', function () {
  beforeEach(async function () {
    await freshApp()
  })

  const cases: Array<[string[], string]> = [
    [['actions:list', '--local', '--database', 'X'], '--database and --local cannot be used together: pick one'],
    [['actions:list', '--local', '-a', 'example-app'], '--app and --local cannot be used together: pick one'],
    [['actions:list', '--json', '--csv', '--app', APP], '--csv and --json cannot be used together: pick one'],
    [['actions:sql', 'SELECT 1', '--statement-timeout', '10x', '--app', APP], '--statement-timeout 10x is not a duration: use e.g. 500ms, 30s, 5min or 1h'],
    [['actions:sql', 'SELECT 1', '--statement-timeout', '30', '--app', APP], '--statement-timeout 30 has no unit: give one, e.g. 30s or 30ms'],
    [['actions:list', '--limit', '0', '--app', APP], '--limit: expected an integer greater than or equal to 1 but received: 0'],
    [['actions:list', '--bogus', '--app', APP], "unknown flag --bogus: see --help for this command's flags"],
    [['actions:list', '--app', APP, '--limit'], '--limit needs a value after it: see --help for what it takes'],
    [['actions:list', 'extra', '--app', APP], 'unexpected argument extra: quote a value that has spaces, or see --help for the arguments this command takes'],
  ]
  for (const [argv, line] of cases) {
    it(`${argv.filter(a => a !== APP && a !== '--app').join(' ')}: one line, exit 2, nothing asked of the API`, async function () {
      const {exitCode, stderr, stdout} = await runBin(argv)
      expect(exitCode).to.equal(2)
      expect(stdout).to.equal('')
      expect(stderr).to.equal(` ›   Error: ${line}\n`)
      expect(getWorld().api.requests).to.have.length(0)
    })
  }

  it('a missing argument: the line, then the usage that shows it', async function () {
    const {exitCode, stderr} = await runBin(['actions:add', 'deploy', '--app', APP])
    expect(exitCode).to.equal(2)
    expect(stderr).to.match(/Error: Missing 1 required arg:/)
    expect(stderr).to.include('USAGE')
  })
})

describe('hints name the database the user is on', function () {
  it('--local: actions:sql says to run psql with --local, not -a APP', async function () {
    const {error} = await run(['actions:sql', 'COPY actions FROM STDIN', '--local'])
    expect(error?.message).to.include('heroku actions:run --local -- psql')
    expect(error?.message).not.to.include('-a APP')
  })

  it('--app: actions:sql names the app', async function () {
    const {error} = await run(['actions:sql', String.raw`\d actions`, '--app', APP])
    expect(error?.message).to.include(`heroku actions:run --app ${APP} -- psql -1 -f FILE`)
  })

  it('actions:run without a target mentions --local', async function () {
    const {error} = await run(['actions:run', '--', 'env'])
    expect(error?.message).to.include('no app given')
    expect(error?.message).to.include('--local')
  })

  it('actions:run --local without a command shows --local in its example', async function () {
    const {error} = await run(['actions:run', '--local'])
    expect(error?.message).to.include('heroku actions:run --local -- psql')
  })
})
