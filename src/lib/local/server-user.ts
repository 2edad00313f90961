import {execFile} from 'node:child_process'
import {chown} from 'node:fs/promises'
import {promisify} from 'node:util'

import {UserError} from '../errors.js'

const run = promisify(execFile)

/** The OS user the server runs as, when that is not the current user. */
export interface ServerUser {
  gid: number
  name: string
  uid: number
}

export const SERVER_USER_NAME = 'postgres'

/**
 * PostgreSQL refuses to run as root, so root runs it as the `postgres` OS user
 * (as Debian's packages do); anybody else runs it as themselves.
 */
export async function serverUser(): Promise<ServerUser | undefined> {
  if (process.getuid?.() !== 0) return undefined
  try {
    const [{stdout: uid}, {stdout: gid}] = await Promise.all([
      run('id', ['-u', SERVER_USER_NAME]),
      run('id', ['-g', SERVER_USER_NAME]),
    ])
    return {gid: Number(gid.trim()), name: SERVER_USER_NAME, uid: Number(uid.trim())}
  } catch (error) {
    throw new UserError(
      `PostgreSQL refuses to run as root and there is no ${SERVER_USER_NAME} OS user to run it as: create one (useradd --system --user-group ${SERVER_USER_NAME}) or run this as an ordinary user`,
      {cause: error},
    )
  }
}

/** Can `user` reach (search or execute) `file`, through every directory above it? */
export async function canReach(user: ServerUser, file: string): Promise<boolean> {
  try {
    await run('test', ['-x', file], {gid: user.gid, uid: user.uid})
    return true
  } catch {
    return false
  }
}

/** Hand files we made to the server's user; nothing to do when that is us. */
export async function giveTo(user: ServerUser | undefined, ...files: string[]): Promise<void> {
  if (!user) return
  await Promise.all(files.map(file => chown(file, user.uid, user.gid)))
}
