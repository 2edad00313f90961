import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

/** A new empty directory for each test of the describe that calls this, removed after it: `dir()` names it. */
export function useTempDir(prefix: string): {dir(): string} {
  let dir: string | undefined
  beforeEach(async function () {
    dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  })
  afterEach(async function () {
    if (dir) await rm(dir, {force: true, recursive: true})
    dir = undefined
  })
  return {dir: () => dir!}
}
