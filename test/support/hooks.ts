import {startWorld, stopWorld} from './world.js'

// Root hooks: the PostgreSQL server and the Platform API stand-in start once
// for the whole run, and every file shares them.
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopWorld()
  },
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(120_000)
    await startWorld()
  },
}
