import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {
  mkdtemp, readFile, rm, writeFile,
} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {appWithActions} from '../../support/actions.js'
import {hasActionsTable, queryUrl, urlOf} from '../../support/databases.js'
import {expectNoCredentials, expectRefusal} from '../../support/refusal.js'
import {run, runBin} from '../../support/run.js'
import {closedPort, silentServer, type SilentServer} from '../../support/tcp.js'
import {
  actionsInDb, APP, freshApp, getWorld,
} from '../../support/world.js'

const OTHER_APP = 'other-app'

describe('which database a command uses', function () {
  describe('an app with two databases, and another app', function () {
    const suffix = randomBytes(3).toString('hex')
    const RED = `red_${suffix}`
    const OTHER = `other_${suffix}`

    before(async function () {
      await getWorld().pg.createDatabase(RED)
      await getWorld().pg.createDatabase(OTHER)
    })

    beforeEach(async function () {
      const {api, pg} = await freshApp([
        {aliases: ['HEROKU_POSTGRESQL_BLUE'], attachment: 'DATABASE', url: pg0()},
        {attachment: 'HEROKU_POSTGRESQL_RED', url: urlOf(RED)},
      ])
      api.setApp({databases: [{attachment: 'DATABASE', url: urlOf(OTHER)}], name: OTHER_APP})
      for (const url of [urlOf(RED), urlOf(OTHER)]) {
        await queryUrl(url, 'DROP TABLE IF EXISTS actions, heroku_actions_migrations, heroku_actions_changes')
      }

      expect(pg.url).to.equal(pg0())
    })

    async function databasesWithTable(): Promise<string[]> {
      const where: string[] = []
      if (await hasActionsTable(pg0())) where.push('DATABASE')
      if (await hasActionsTable(urlOf(RED))) where.push('RED')
      if (await hasActionsTable(urlOf(OTHER))) where.push('OTHER')
      return where
    }

    it('uses DATABASE_URL by default', async function () {
      const {exitCode, stderr} = await run(['actions:init', '--app', APP])
      expect(exitCode, stderr).to.equal(0)
      expect(await databasesWithTable()).to.deep.equal(['DATABASE'])
    })

    it('uses the attachment named by --database', async function () {
      const {exitCode, stderr} = await run(['actions:init', '--app', APP, '--database', 'HEROKU_POSTGRESQL_RED'])
      expect(exitCode, stderr).to.equal(0)
      expect(await databasesWithTable()).to.deep.equal(['RED'])
    })

    it('takes a config var name for --database too', async function () {
      const {exitCode, stderr} = await run(['actions:init', '--app', APP, '--database', 'HEROKU_POSTGRESQL_RED_URL'])
      expect(exitCode, stderr).to.equal(0)
      expect(await databasesWithTable()).to.deep.equal(['RED'])
    })

    it("uses another app's database with --database OTHER_APP::DATABASE", async function () {
      const {exitCode, stderr} = await run(['actions:init', '--app', APP, '--database', `${OTHER_APP}::DATABASE`])
      expect(exitCode, stderr).to.equal(0)
      expect(await databasesWithTable()).to.deep.equal(['OTHER'])
    })

    it('keeps each database to itself: a row added on RED is listed on RED only', async function () {
      for (const database of ['DATABASE', 'HEROKU_POSTGRESQL_RED']) {
        expect((await run(['actions:init', '--app', APP, '--database', database])).exitCode).to.equal(0)
      }

      const added = await run(['actions:add', 'deploy', '/red', '--app', APP, '--database', 'HEROKU_POSTGRESQL_RED'])
      expect(added.exitCode, added.stderr).to.equal(0)
      const red = await run(['actions:list', '--app', APP, '--database', 'HEROKU_POSTGRESQL_RED', '--json'])
      expect(JSON.parse(red.stdout).map((r: {path: string}) => r.path)).to.deep.equal(['/red'])
      const primary = await run(['actions:list', '--app', APP, '--json'])
      expect(JSON.parse(primary.stdout)).to.deep.equal([])
    })

    it('takes the app from HEROKU_APP', async function () {
      const result = await runBin(['actions:init', '--database', 'HEROKU_POSTGRESQL_RED'], {env: {HEROKU_APP: APP}})
      expect(result.exitCode, result.stderr).to.equal(0)
      expect(await databasesWithTable()).to.deep.equal(['RED'])
    })

    describe('in a git repository with a heroku remote', function () {
      let bin: string
      let env: NodeJS.ProcessEnv

      // a git that answers as a checkout of example-app would, and logs how it was asked
      beforeEach(async function () {
        bin = await mkdtemp(path.join(os.tmpdir(), 'heroku-actions-git-'))
        const git = path.join(bin, 'git')
        await writeFile(git, `#!/bin/sh
echo "$*" >> "${bin}/calls"
case "$1" in
  remote) printf 'heroku\\thttps://git.example.test/${APP}.git (fetch)\\nheroku\\thttps://git.example.test/${APP}.git (push)\\n' ;;
  *) exit 1 ;;
esac
`, {mode: 0o755})
        env = {HEROKU_GIT_HOST: 'git.example.test', PATH: `${bin}${path.delimiter}${process.env.PATH}`}
      })

      afterEach(async function () {
        await rm(bin, {force: true, recursive: true})
      })

      const calls = async () => (await readFile(path.join(bin, 'calls'), 'utf8').catch(() => '')).split('\n').filter(Boolean)

      it('takes the app from the remote', async function () {
        const result = await runBin(['actions:init', '--database', 'HEROKU_POSTGRESQL_RED'], {env})
        expect(result.exitCode, result.stderr).to.equal(0)
        expect(await databasesWithTable()).to.deep.equal(['RED'])
        expect(await calls()).to.include('remote -v')
      })

      // oclif asks every flag for its help default on each parse; heroku's --app answered with two shells running git
      it('runs no git when --app is given', async function () {
        const result = await runBin(['actions:init', '--app', APP, '--database', 'HEROKU_POSTGRESQL_RED'], {env})
        expect(result.exitCode, result.stderr).to.equal(0)
        expect(await databasesWithTable()).to.deep.equal(['RED'])
        expect(await calls()).to.deep.equal([])
      })
    })
  })

  describe('refusals: exit 1, one line, no credential', function () {
    beforeEach(async function () {
      await freshApp()
    })

    it('says how to add a database to an app that has none', async function () {
      await freshApp([])
      expectRefusal(
        await run(['actions:list', '--app', APP]),
        `${APP} has no Heroku Postgres database: add one with heroku addons:create heroku-postgresql:essential-0 -a ${APP}`,
      )
    })

    it('lists the valid names for an unknown --database', async function () {
      const line = expectRefusal(await run(['actions:init', '--app', APP, '--database', 'PURPLE']), 'PURPLE')
      expect(line).to.include('DATABASE, HEROKU_POSTGRESQL_RED')
      expect(await hasActionsTable(pg0())).to.equal(false)
    })

    it('lists the candidates for an ambiguous --database', async function () {
      // one add-on attached twice whose config vars no longer agree (a rollback, a hand-edited config var)
      await freshApp([
        {addon: 'postgresql-shared-12345', attachment: 'DATABASE', url: pg0()},
        {addon: 'postgresql-shared-12345', attachment: 'HEROKU_POSTGRESQL_GRAY', url: urlOf('elsewhere')},
      ])
      const line = expectRefusal(await run(['actions:init', '--app', APP, '--database', 'postgresql-shared-12345']), 'postgresql-shared-12345')
      expect(line).to.include('DATABASE, HEROKU_POSTGRESQL_GRAY')
      expect(await hasActionsTable(pg0())).to.equal(false)
    })

    it('says when the app does not exist', async function () {
      expectRefusal(await run(['actions:list', '--app', 'no-such-app']), 'app no-such-app not found')
    })

    it('refuses a wrong HEROKU_API_KEY', async function () {
      const wrong = 'wrong-token-4f1c2a'
      const result = await runBin(['actions:list', '--app', APP], {env: {HEROKU_API_KEY: wrong}})
      expectRefusal(result, 'HEROKU_API_KEY was refused', [wrong])
    })

    describe('without a login', function () {
      let home: string

      beforeEach(async function () {
        home = await mkdtemp(path.join(os.tmpdir(), 'heroku-actions-home-'))
      })

      afterEach(async function () {
        await rm(home, {force: true, recursive: true})
      })

      const loggedOut = (): NodeJS.ProcessEnv => ({
        HEROKU_API_KEY: undefined, HOME: home, XDG_CACHE_HOME: undefined, XDG_CONFIG_HOME: undefined, XDG_DATA_HOME: undefined,
      })

      it('says to log in, without prompting, when there is no credential at all', async function () {
        const result = await runBin(['actions:list', '--app', APP], {env: loggedOut()})
        expectRefusal(result, 'not logged in to Heroku: run heroku login, or set HEROKU_API_KEY')
        expect(getWorld().api.requests).to.deep.equal([])
      })

      it('says to log in again, without prompting, when the stored login is refused', async function () {
        const {host} = new URL(getWorld().api.url)
        const expired = 'expired-token-9d8e7f'
        await writeFile(path.join(home, '.netrc'), `machine ${host}\n  login developer@example.com\n  password ${expired}\n`, {mode: 0o600})
        const result = await runBin(['actions:list', '--app', APP], {env: loggedOut()})
        expectRefusal(result, 'run heroku login', [expired])
        expect(result.stderr).not.to.include('browser')
      })
    })

    it('says when the Platform API cannot be reached', async function () {
      this.timeout(60_000) // the API client retries with backoff, about 7 s
      const result = await runBin(['actions:list', '--app', APP], {env: {HEROKU_HOST: `http://127.0.0.1:${await closedPort()}`}})
      expectRefusal(result, 'could not reach the Heroku Platform API')
    })

    describe('databases reachable only from inside Heroku', function () {
      let trap: SilentServer

      beforeEach(async function () {
        trap = await silentServer()
      })

      afterEach(async function () {
        await trap.close()
      })

      for (const [kind, plan] of [['Shield', 'heroku-postgresql:shield-0'], ['Private', 'heroku-postgresql:private-0']]) {
        it(`refuses a ${kind} database and says what to use instead, without connecting`, async function () {
          const url = `postgres://u1234:p5678secret@127.0.0.1:${trap.port}/d1234`
          const {api} = await freshApp([{attachment: 'DATABASE', plan, url}])
          const line = expectRefusal(await run(['actions:list', '--app', APP]), plan, [url, 'p5678secret'])
          expect(line).to.include('heroku pg:psql')
          expect(trap.connections).to.equal(0)
          // the config vars are asked for alongside the attachment (one round trip), and the URL is dropped unused
          expect(api.requests.map(r => r.path).sort()).to.deep.equal(['/actions/addon-attachments/resolve', `/apps/${APP}/config-vars`])
        })
      }
    })
  })

  describe('credentials', function () {
    it('asks the Platform API for the URL on every run, so a rotated password just works', async function () {
      await appWithActions([['deploy', '/api/deploy']])
      const {api, pg} = getWorld()
      const first = await run(['actions:list', '--app', APP, '--json'])
      expect(first.exitCode, first.stderr).to.equal(0)

      const configRequests = (): number => api.requests.filter(r => r.path === `/apps/${APP}/config-vars`).length
      const asked = configRequests()
      const oldPassword = pg.password
      api.setDatabaseUrl(APP, 'DATABASE', await pg.rotatePassword())
      // same process: a module-global cache of config vars would hand out the old URL here
      const second = await run(['actions:list', '--app', APP, '--json'])
      expect(second.exitCode, second.stderr).to.equal(0)
      expect(JSON.parse(second.stdout)).to.have.length(1)
      expectNoCredentials(second, [oldPassword])
      expect(configRequests()).to.equal(asked + 1)
      expect(await actionsInDb()).to.have.length(1)
    })
  })
})

/** The primary test database's URL, with the credentials of the moment. */
function pg0(): string {
  return getWorld().pg.url
}
