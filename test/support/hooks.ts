import {startWorld, stopWorld} from './world.js'

// Root hooks: the PostgreSQL server and the Platform API stand-in start once
// for the whole run, and every file shares them.
// Node's own environment object: a test that replaces it (process.env = {...})
// changes it for every later test; see test/support/env.ts
const environment = process.env

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopWorld()
  },
  afterEach(this: Mocha.Context): void {
    if (process.env === environment) return
    process.env = environment
    throw new Error(`"${this.currentTest?.fullTitle()}" replaced process.env instead of changing it in place (test/support/env.ts)`)
  },
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(120_000)
    await startWorld()
  },
}
