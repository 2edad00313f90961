import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {PlatformApi} from '../../test/support/platform-api.js'
import {startPostgres, type TestPostgres} from '../../test/support/postgres.js'
import {APP, TOKEN} from '../../test/support/world.js'
import {Runner} from './runner.js'

export interface Stage {
  api: PlatformApi
  pg: TestPostgres
  runner: Runner
  scratch: string
  stop(): Promise<void>
}

/**
 * What every benchmark runs against: the test suite's SSL PostgreSQL, the
 * Platform API stand-in with example-app on it, a scratch folder, and a
 * runner that starts commands as a user does.
 */
export async function startStage(): Promise<Stage> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'heroku-actions-bench-'))
  const pg = await startPostgres()
  const api = new PlatformApi({token: TOKEN})
  await api.start()
  api.setApp({databases: [{attachment: 'DATABASE', url: pg.url}], name: APP})
  const runner = new Runner({HEROKU_API_KEY: TOKEN, HEROKU_HOST: api.url, PGSSLMODE: 'require'}, scratch)
  return {
    api, pg, runner, scratch,
    async stop() {
      await api.stop()
      await pg.stop()
      await rm(scratch, {force: true, recursive: true})
    },
  }
}
