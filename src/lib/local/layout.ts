import {constants} from 'node:fs'
import {access, mkdir} from 'node:fs/promises'
import path from 'node:path'

import {UserError} from '../errors.js'

export const DATA_DIR_ENV = 'HEROKU_ACTIONS_DATA_DIR'

/** Where local mode keeps its files: HEROKU_ACTIONS_DATA_DIR, else a directory in oclif's data directory. */
export function localDataDir(configDataDir: string): string {
  return process.env[DATA_DIR_ENV] || path.join(configDataDir, 'heroku-actions')
}

/** The files of local mode, all in one directory that belongs to the user. */
export class Layout {
  readonly dir: string

  /** `dir` may be relative (HEROKU_ACTIONS_DATA_DIR=.data); the server runs elsewhere, so it is made absolute */
  constructor(dir: string) {
    this.dir = path.resolve(dir)
  }

  /** present while actions:local:start wants the server kept running */
  get keepRunning(): string {
    return path.join(this.dir, 'keep-running')
  }

  get leases(): string {
    return path.join(this.dir, 'leases')
  }

  get lock(): string {
    return path.join(this.dir, 'lock')
  }

  /** the local database's password (mode 0600): not a Heroku credential */
  get password(): string {
    return path.join(this.dir, 'password')
  }

  /** the cluster's home: a directory, or a link to where the server's OS user can reach it */
  get server(): string {
    return path.join(this.dir, 'server')
  }

  /** remembered between runs: the port actions:local:start used */
  get settings(): string {
    return path.join(this.dir, 'settings.json')
  }

  async ensureWritable(): Promise<void> {
    try {
      await mkdir(this.dir, {recursive: true})
      await access(this.dir, constants.W_OK | constants.X_OK)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error'
      throw new UserError(`the data directory ${this.dir} is not writable (${code}): fix its permissions, or set ${DATA_DIR_ENV} to a writable directory`, {cause: error})
    }
  }
}
