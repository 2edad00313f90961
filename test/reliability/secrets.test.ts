import {expect} from 'chai'
import {randomBytes} from 'node:crypto'

import {appWithActions} from '../support/actions.js'
import {CommandCase, COMMANDS, SAMPLE, withApp} from '../support/commands.js'
import {Fault, FaultProxy} from '../support/fault-proxy.js'
import {leaksOfBin, leaksOfRun, Secrets, secretsOf} from '../support/secrets.js'
import {APP, freshApp, getWorld, TOKEN} from '../support/world.js'

const WRONG_TOKEN = 'wrong-api-token-9876543210'

interface Path {
  /** what the command must say (or 'ok'), so that the path is known to have been taken */
  outcome: (command: CommandCase) => 'ok' | RegExp
  /** prepares the database and breaks what the path breaks; returns secrets besides the current ones */
  setup: () => Promise<Secrets | void>
}

describe('credentials never show, whatever happens', function () {
  this.timeout(180_000)
  let proxy: FaultProxy
  let oldUrl: string

  /**
   * New credentials, which no earlier run in this process has seen: the
   * redaction must catch them on first sight, as in a fresh process.
   * example-app's DATABASE_URL gets them, through `via` when given.
   */
  async function freshCredentials(via?: FaultProxy): Promise<string> {
    const url = await getWorld().pg.rotatePassword(specialPassword())
    getWorld().api.setDatabaseUrl(APP, 'DATABASE', via ? via.url(url) : url)
    return url
  }

  async function throughProxy(fault: Fault): Promise<void> {
    await appWithActions(SAMPLE)
    proxy.reset()
    await proxy.setFault(fault)
    await freshCredentials(proxy)
  }

  async function tutorialTable(): Promise<void> {
    await freshApp()
    const {pg} = getWorld()
    await pg.query('CREATE TABLE actions (action VARCHAR(255) NOT NULL, path VARCHAR(255) NOT NULL, status BOOLEAN NOT NULL DEFAULT FALSE)')
    await pg.query(`ALTER TABLE actions OWNER TO "${pg.user}"`)
  }

  const PATHS: Record<string, Path> = {
    'it succeeds': {outcome: () => 'ok', async setup() {
      await appWithActions(SAMPLE)
      await freshCredentials()
    }},
    // eslint-disable-next-line perfectionist/sort-objects
    'the actions table is missing': {
      outcome: c => (c.table ? /the actions table does not exist|relation "actions" does not exist/ : 'ok'),
      async setup() {
        await freshApp()
        await freshCredentials()
      },
    },
    "the statements do not fit the table (the tutorial's, without id)": {
      outcome: c => (c.table ? /the actions table is not up to date|column "id" does not exist/ : 'ok'),
      async setup() {
        await tutorialTable()
        await freshCredentials()
      },
    },
    'the database host is unreachable': {outcome: c => (c.connects === false ? 'ok' : /connection refused/), setup: () => throughProxy({kind: 'refuse'})},
    'the connection drops while connecting': {outcome: c => (c.connects === false ? 'ok' : /closed while connecting/), setup: () => throughProxy({afterBytes: 40, direction: 'up', kind: 'cut'})},
    'the password was rotated under a stale URL': {
      outcome: c => (c.connects === false ? 'ok' : /rejected its credentials/),
      async setup() {
        await appWithActions(SAMPLE)
        const stale = await freshCredentials()
        await getWorld().pg.rotatePassword(specialPassword())
        return secretsOf(stale, TOKEN)
      },
    },
    'the Platform API fails': {
      outcome: () => /the Heroku Platform API failed \(HTTP 500\)/,
      async setup() {
        await appWithActions(SAMPLE)
        await freshCredentials()
        getWorld().api.failNext(500, 10)
      },
    },
    'the Platform API refuses the token': {
      outcome: () => /the token in HEROKU_API_KEY was refused/,
      async setup() {
        await appWithActions(SAMPLE)
        await freshCredentials()
        getWorld().api.token = WRONG_TOKEN
      },
    },
    'the app does not exist': {
      outcome: () => /app example-app not found/,
      async setup() {
        await appWithActions(SAMPLE)
        await freshCredentials()
        getWorld().api.removeApp(APP)
      },
    },
  }

  /** A password with every character a URL or a log line treats specially. */
  function specialPassword(): string {
    return `p'a"s s@w:o/r%d#?&=+é\\${randomBytes(6).toString('hex')}`
  }

  before(async function () {
    // the Platform API failures are retried with backoff: milliseconds here, not seconds
    process.env.HEROKU_ACTIONS_RETRY_DELAY_MS = '1'
    const {pg} = getWorld()
    oldUrl = pg.url
    await pg.rotatePassword(specialPassword())
    proxy = await FaultProxy.start({host: pg.host, port: pg.port})
  })

  afterEach(function () {
    getWorld().api.token = TOKEN
  })

  after(async function () {
    delete process.env.HEROKU_ACTIONS_RETRY_DELAY_MS
    await proxy?.stop()
    await getWorld().pg.rotatePassword(decodeURIComponent(new URL(oldUrl).password))
  })

  for (const [name, path] of Object.entries(PATHS)) {
    it(`when ${name}: in every command's output and errors, with DEBUG=*`, async function () {
      const problems: string[] = []
      for (const [id, command] of Object.entries(COMMANDS)) {
        /* eslint-disable no-await-in-loop */
        getWorld().api.token = TOKEN
        const extra = await path.setup()
        const secrets = {...secretsOf(getWorld().pg.url, TOKEN), ...extra, 'the refused token': WRONG_TOKEN}
        const {leaks, result} = await leaksOfRun(withApp(command.ok), secrets)
        /* eslint-enable no-await-in-loop */
        problems.push(...leaks.map(leak => `${id}: ${leak}`))
        const outcome = path.outcome(command)
        const said = result.exitCode === 0 ? 'ok' : result.error?.message ?? ''
        if (outcome === 'ok' ? said !== 'ok' : !outcome.test(said)) problems.push(`${id}: expected ${outcome}, got: ${said}`)
      }

      expect(problems.join('\n')).to.equal('')
    })
  }

  describe('in a real process, its files included', function () {
    for (const [id, command] of Object.entries(COMMANDS)) {
      it(`${id}, with DEBUG=*`, async function () {
        await appWithActions(SAMPLE)
        const {leaks, result} = await leaksOfBin(withApp(command.ok), secretsOf(getWorld().pg.url, TOKEN))
        expect(result.exitCode, result.stderr.slice(-2000)).to.equal(0)
        expect(result.stderr).to.include('http') // the debug output is really on
        expect(leaks).to.deep.equal([])
      })
    }

    it('with HEROKU_DEBUG=1 and HEROKU_DEBUG_HEADERS=1, on each error path', async function () {
      const problems: string[] = []
      for (const [name, path] of Object.entries(PATHS)) {
        /* eslint-disable no-await-in-loop */
        getWorld().api.token = TOKEN
        const extra = await path.setup()
        const secrets = {...secretsOf(getWorld().pg.url, TOKEN), ...extra, 'the refused token': WRONG_TOKEN}
        const {leaks, result} = await leaksOfBin(withApp(COMMANDS['actions:list'].ok), secrets, {HEROKU_DEBUG: '1', HEROKU_DEBUG_HEADERS: '1'})
        /* eslint-enable no-await-in-loop */
        problems.push(...leaks.map(leak => `${name}: ${leak}`))
        if (!result.stderr.includes('http')) problems.push(`${name}: no debug output`)
      }

      expect(problems.join('\n')).to.equal('')
    })
  })
})
