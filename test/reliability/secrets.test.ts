import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

import {appWithActions} from '../support/actions.js'
import {
  CommandCase, COMMANDS, SAMPLE, withApp,
} from '../support/commands.js'
import {installFakeDns} from '../support/fake-dns.js'
import {Fault, FaultProxy} from '../support/fault-proxy.js'
import {ROOT, runBin} from '../support/run.js'
import {
  leaksOfBin, leaksOfRun, Secrets, secretsOf,
} from '../support/secrets.js'
import {
  APP, freshApp, getWorld, TOKEN,
} from '../support/world.js'

/**
 * The database's host, as a name only the fake DNS knows (127.0.0.1 is the
 * Platform API stand-in's address too, which debug output rightly shows).
 */
const DB_HOST = `db-${randomBytes(4).toString('hex')}.compute-1.amazonaws.test`

interface Setup {
  /** the environment of the command, for this path */
  env?: NodeJS.ProcessEnv
  /** secrets besides those of the URL the plugin is handed */
  secrets?: Secrets
}

interface Path {
  /** what the command must say (or 'ok'), so that the path is known to have been taken */
  outcome: (command: CommandCase) => 'ok' | RegExp
  /** prepares the database and breaks what the path breaks */
  setup: () => Promise<Setup | void>
}

/** `url` with its host replaced by DB_HOST. */
function onDbHost(url: string): string {
  const parsed = new URL(url)
  parsed.hostname = DB_HOST
  return parsed.toString()
}

describe('credentials never show, whatever happens', function () {
  this.timeout(180_000)
  let proxy: FaultProxy
  let original: {password: string; user: string}
  let restoreDns: () => void
  /** the DATABASE_URL example-app hands the plugin now */
  let handed: string

  /**
   * A new user name and password, which no earlier run in this process has
   * seen: the redaction must catch them on first sight, as in a fresh
   * process. example-app's DATABASE_URL gets them, on DB_HOST, through `via`
   * when given.
   */
  async function freshCredentials(via?: FaultProxy): Promise<string> {
    const url = await getWorld().pg.rotateUser(specialUser(), specialPassword())
    handed = onDbHost(via ? via.url(url) : url)
    getWorld().api.setDatabaseUrl(APP, 'DATABASE', handed)
    return handed
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
    'it succeeds': {
      outcome: () => 'ok', async setup() {
        await appWithActions(SAMPLE)
        await freshCredentials()
      },
    },

    'the actions table is missing': {
      outcome: c => (c.table ? /the actions table does not exist|relation "actions" does not exist/ : 'ok'),
      async setup() {
        await freshApp()
        await freshCredentials()
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
    'the connection drops while connecting': {outcome: c => (c.connects === false ? 'ok' : /closed while connecting/), setup: () => throughProxy({afterBytes: 40, direction: 'up', kind: 'cut'})},
    'the database host is unreachable': {outcome: c => (c.connects === false ? 'ok' : /connection refused/), setup: () => throughProxy({kind: 'refuse'})},
    'the password was rotated under a stale URL': {
      outcome: c => (c.connects === false ? 'ok' : /rejected its credentials/),
      async setup() {
        await appWithActions(SAMPLE)
        const stale = await freshCredentials()
        await getWorld().pg.rotatePassword(specialPassword())
        return {secrets: secretsOf(stale, TOKEN)}
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
        // the plugin is handed a token the stand-in does not accept: that one must not show
        const refused = `refused-api-token-${randomBytes(8).toString('hex')}`
        return {env: {HEROKU_API_KEY: refused}, secrets: {'the refused token': refused}}
      },
    },
    "the statements do not fit the table (the tutorial's, without id)": {
      outcome: c => (c.table ? /the actions table is not up to date|column "id" does not exist/ : 'ok'),
      async setup() {
        await tutorialTable()
        await freshCredentials()
      },
    },
  }

  /** A password with every character a URL or a log line treats specially. */
  function specialPassword(): string {
    return `p'a"s s@w:o/r%d#?&=+é\\${randomBytes(6).toString('hex')}`
  }

  /** A user name, new each time, with characters a URL encodes. */
  function specialUser(): string {
    return `app-user.é'${randomBytes(6).toString('hex')}`
  }

  before(async function () {
    // the Platform API failures are retried with backoff: milliseconds here, not seconds
    process.env.HEROKU_ACTIONS_RETRY_DELAY_MS = '1'
    const {pg} = getWorld()
    original = {password: pg.password, user: pg.user}
    restoreDns = installFakeDns({[DB_HOST]: '127.0.0.1'})
    proxy = await FaultProxy.start({host: pg.host, port: pg.port})
  })

  after(async function () {
    delete process.env.HEROKU_ACTIONS_RETRY_DELAY_MS
    restoreDns?.()
    await proxy?.stop()
    const {pg} = getWorld()
    await (pg.user === original.user ? pg.rotatePassword(original.password) : pg.rotateUser(original.user, original.password));
    await freshApp()
  })

  for (const [name, path] of Object.entries(PATHS)) {
    it(`when ${name}: in every command's output and errors, with DEBUG=*`, async function () {
      const problems: string[] = []
      for (const [id, command] of Object.entries(COMMANDS)) {
        const {env, secrets: extra} = (await path.setup()) ?? {}
        const secrets = {...secretsOf(handed, TOKEN), ...extra}
        const {leaks, result} = await leaksOfRun(withApp(command.ok), secrets, env)
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

    // stdout carries the user's data: only the known secrets are replaced there, every occurrence
    it('replaces the password wherever the data shows it on stdout, and leaves the rest of the data', async function () {
      await freshApp()
      const {password} = getWorld().pg
      const literal = `'a ${password} b ${password}'`.replaceAll(/(?<=.)'(?=.)/g, "''")
      const result = await runBin(['actions:sql', `SELECT ${literal} AS seen, 'plain' AS other`, '--app', APP])
      expect(result.exitCode, result.stderr).to.equal(0)
      expect(result.stdout).to.not.include(password)
      expect(result.stdout).to.match(/^a \[REDACTED\] b \[REDACTED\] +plain *$/m)
    })

    it('with HEROKU_DEBUG=1 and HEROKU_DEBUG_HEADERS=1, on each error path', async function () {
      const problems: string[] = []
      const preload = pathToFileURL(path.join(ROOT, 'test/support/fake-dns-preload.ts')).href
      // the command runs in a fresh home: tsx by its full address
      const fakeDns = {FAKE_DNS: `${DB_HOST}=127.0.0.1`, NODE_OPTIONS: `--import ${pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href} --import ${preload}`}
      for (const [name, how] of Object.entries(PATHS)) {
        const {env, secrets: extra} = (await how.setup()) ?? {}
        const secrets = {...secretsOf(handed, TOKEN), ...extra}
        const {leaks, result} = await leaksOfBin(withApp(COMMANDS['actions:list'].ok), secrets, {
          ...fakeDns, HEROKU_DEBUG: '1', HEROKU_DEBUG_HEADERS: '1', ...env,
        })
        problems.push(...leaks.map(leak => `${name}: ${leak}`))
        if (!result.stderr.includes('http')) problems.push(`${name}: no debug output`)
        const outcome = how.outcome(COMMANDS['actions:list'])
        const said = result.exitCode === 0 ? 'ok' : result.stderr
        if (outcome === 'ok' ? said !== 'ok' : !outcome.test(said.replaceAll(/ *\n ›\s+/g, ' '))) problems.push(`${name}: expected ${outcome}, got exit ${result.exitCode}`)
      }

      expect(problems.join('\n')).to.equal('')
    })
  })
})
