import {errorMessage, UserError} from '../errors.js'
import {sleep} from '../timers.js'
import {Database} from './database.js'
import {credentialsRejected, isTransientConnectFailure, rotationError} from './pg-errors.js'

export interface FreshConnectOptions {
  connect?: (url: string) => Promise<Database>
  /** when set, keep trying this long while the database is not accepting connections */
  waitMs?: number
}

const FIRST_PAUSE_MS = 500
const LONGEST_PAUSE_MS = 5000

/**
 * Connect with the URL `resolve` returns (the app's database URL, asked of
 * the Platform API). This module never talks to the API itself: it only
 * calls `resolve` again when it needs a newer URL.
 */
export async function connectFresh(resolve: () => Promise<string>, options: FreshConnectOptions = {}): Promise<Database> {
  const connect = options.connect ?? (async (url: string) => Database.connect(url))
  if (options.waitMs === undefined) return connectOnce(resolve, connect)
  return waitForDatabase(() => connectOnce(resolve, connect), options.waitMs)
}

/**
 * Credentials rotated between resolving and connecting fail with 28P01:
 * resolve again, once, and retry with what the API says now.
 */
async function connectOnce(resolve: () => Promise<string>, connect: (url: string) => Promise<Database>): Promise<Database> {
  try {
    return await connect(await resolve())
  } catch (error) {
    if (!credentialsRejected(error)) throw error
  }

  try {
    return await connect(await resolve())
  } catch (error) {
    throw credentialsRejected(error) ? rotationError(error) : error
  }
}

/**
 * While the database is starting up, failing over or refusing connections,
 * try again with growing pauses until `waitMs` has passed. Each try resolves
 * the URL anew: a failover can move the database to another host.
 */
async function waitForDatabase(attempt: () => Promise<Database>, waitMs: number): Promise<Database> {
  const deadline = Date.now() + waitMs
  for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
    try {
      return await attempt()
    } catch (error) {
      if (!isTransientConnectFailure(error)) throw error
      const left = deadline - Date.now()
      if (left <= 0) {
        throw new UserError(`gave up after waiting ${Math.round(waitMs / 1000)} s: ${errorMessage(error)}`, {cause: error})
      }

      await sleep(Math.min(pause, left))
    }
  }
}
