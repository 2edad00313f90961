import {randomBytes} from 'node:crypto'
import {
  mkdir, readdir, unlink, writeFile,
} from 'node:fs/promises'
import path from 'node:path'

import {isAlive} from './processes.js'

/**
 * Which commands are using the local server right now: one file per use,
 * named after the process. The server is stopped only when none is left, so
 * one command never stops it under another. A command killed with SIGKILL
 * leaves its file behind; a file whose process is gone does not count.
 */
export class Leases {
  constructor(private readonly dir: string) {}

  async add(): Promise<string> {
    await mkdir(this.dir, {recursive: true})
    const name = `${process.pid}-${randomBytes(4).toString('hex')}`
    await writeFile(path.join(this.dir, name), '')
    return name
  }

  /** The pids holding a lease, forgetting the leases of processes that are gone. */
  async holders(): Promise<number[]> {
    const names = await readdir(this.dir).catch(() => [] as string[])
    const alive: number[] = []
    for (const name of names) {
      const pid = Number.parseInt(name, 10)
      if (isAlive(pid)) alive.push(pid)
      else await this.remove(name)
    }

    return [...new Set(alive)]
  }

  async remove(name: string): Promise<void> {
    await unlink(path.join(this.dir, name)).catch(() => {})
  }
}
