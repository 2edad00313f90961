import {readFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {setTimeout as sleep} from 'node:timers/promises'

export const HOST = '127.0.0.1'

/** Is there a live process with this pid (ours or not)? A zombie, killed but not yet reaped, is not. */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }

  return procStat(pid)?.state !== 'Z'
}

/**
 * After a reboot the pid in a leftover postmaster.pid may belong to some
 * other program. Where /proc tells us the program's name, check it.
 */
export function isPostmaster(pid: number): boolean {
  return isAlive(pid) && (procStat(pid)?.name ?? 'postgres') === 'postgres'
}

/** The program a live process runs, where /proc says (Linux); undefined otherwise. */
export function programName(pid: number): string | undefined {
  return isAlive(pid) ? procStat(pid)?.name : undefined
}

/** Name and state (R, S, Z...) from Linux's /proc; undefined elsewhere. */
function procStat(pid: number): undefined | {name: string; state: string} {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const close = stat.lastIndexOf(')')
    return {name: stat.slice(stat.indexOf('(') + 1, close), state: stat.slice(close + 2, close + 3)}
  } catch {
    return undefined
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, HOST, () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Poll `check` every `everyMs` until it returns something other than undefined, or `timeoutMs` passes. */
export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 10): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const result = await check()
    if (result !== undefined || Date.now() >= deadline) return result
    await sleep(everyMs)
  }
}

export {setTimeout as sleep} from 'node:timers/promises'
