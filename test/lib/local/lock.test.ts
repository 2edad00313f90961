import {expect} from 'chai'
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, watch} from 'node:fs'
import {
  mkdtemp, readFile, rm, utimes, writeFile,
} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {FileLock} from '../../../src/lib/local/lock.js'
import {ROOT} from '../../support/run.js'

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!
}

describe('FileLock', function () {
  let dir: string
  let file: string

  beforeEach(async function () {
    dir = await mkdtemp(path.join(os.tmpdir(), 'heroku-actions-lock-'))
    file = path.join(dir, 'lock')
  })

  afterEach(async function () {
    await rm(dir, {force: true, recursive: true})
  })

  it('holds our pid while held and leaves nothing behind', async function () {
    const lock = new FileLock(file)
    // recorded, and checked after: an assertion inside the callback passes when it never runs
    let held: string | undefined
    await lock.with(async () => {
      held = await readFile(file, 'utf8')
    })
    expect(held).to.equal(`${process.pid}\n`)
    expect(existsSync(file)).to.equal(false)
  })

  it('makes a second holder wait until the first releases', async function () {
    const first = new FileLock(file)
    await first.acquire()
    // each try makes and removes a temporary file beside the lock: two tries, not a fixed sleep, prove it is waiting
    const tried = new Promise<void>(resolve => {
      let events = 0
      const watcher = watch(dir, (_event, name) => {
        if (name?.startsWith('lock.') && !name.endsWith('.break') && ++events >= 4) {
          watcher.close()
          resolve()
        }
      })
    })
    let second = false
    const waiting = new FileLock(file).with(async () => {
      second = true
    })
    await tried
    expect(second).to.equal(false)
    await first.release()
    await waiting
    expect(second).to.equal(true)
  })

  it('breaks a lock whose owner was killed, and one with unreadable content', async function () {
    const held: string[] = []
    for (const content of [`${deadPid()}\n`, 'garbage']) {
      await writeFile(file, content)
      // no clock: a lock that is not broken is never taken, and acquire() fails at its timeout
      await new FileLock(file, 2000).with(async () => {
        held.push(await readFile(file, 'utf8'))
      })
    }

    expect(held).to.deep.equal([`${process.pid}\n`, `${process.pid}\n`])
    expect(existsSync(file)).to.equal(false)
  })

  it('removes a breaking guard left by a process killed while breaking', async function () {
    await writeFile(file, `${deadPid()}\n`)
    await writeFile(`${file}.break`, '')
    const old = new Date(Date.now() - 60_000)
    await utimes(`${file}.break`, old, old)
    await new FileLock(file, 2000).with(async () => {})
    expect(existsSync(`${file}.break`)).to.equal(false)
  })

  it('gives up after its timeout on a live owner, naming it', async function () {
    const sleeper = spawn('sleep', ['30'])
    try {
      await writeFile(file, `${sleeper.pid}\n`)
      const error = await new FileLock(file, 200).acquire().then(() => {}, (error_: Error) => error_)
      expect(error?.message).to.include(`(pid ${sleeper.pid}) has held ${file}`)
      expect(await readFile(file, 'utf8')).to.equal(`${sleeper.pid}\n`)
    } finally {
      sleeper.kill()
    }
  })
})

describe('FileLock between processes', function () {
  // six tsx processes at once, on a machine that may be busy
  this.timeout(90_000)
  let dir: string

  beforeEach(async function () {
    dir = await mkdtemp(path.join(os.tmpdir(), 'heroku-actions-lock-'))
  })

  afterEach(async function () {
    await rm(dir, {force: true, recursive: true})
  })

  // Each child takes the lock, writes "in", pauses, writes "out"; `die` children are SIGKILLed while holding it.
  const child = (file: string, journal: string, die: boolean): Promise<null | number> => new Promise(resolve => {
    const source = `
      import {appendFileSync} from 'node:fs'
      import {FileLock} from ${JSON.stringify(path.join(ROOT, 'src/lib/local/lock.ts'))}
      const lock = new FileLock(${JSON.stringify(file)}, 20000)
      await lock.acquire()
      appendFileSync(${JSON.stringify(journal)}, 'in ' + process.pid + '\\n')
      if (${die}) process.kill(process.pid, 'SIGKILL')
      await new Promise(r => setTimeout(r, 30))
      appendFileSync(${JSON.stringify(journal)}, 'out ' + process.pid + '\\n')
      await lock.release()
    `
    const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {stdio: 'ignore'})
    proc.on('close', code => resolve(code))
  })

  it('lets one process in at a time, and survives holders killed with SIGKILL', async function () {
    const file = path.join(dir, 'lock')
    const journal = path.join(dir, 'journal')
    await writeFile(journal, '')
    const codes = await Promise.all([false, true, false, true, false, false].map(die => child(file, journal, die)))
    expect(codes.filter(code => code === 0)).to.have.length(4)
    const lines = (await readFile(journal, 'utf8')).trim().split('\n')
    // every "in" is followed by the same process's "out", unless that process was killed
    const survivors = lines.filter((line, i) => line.startsWith('in') && lines[i + 1] === line.replace('in', 'out'))
    expect(survivors).to.have.length(4)
    expect(lines).to.have.length((4 * 2) + 2)
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].startsWith('out')) expect(lines[i - 1], lines.join('\n')).to.equal(lines[i].replace('out', 'in'))
    }

    // a killed last holder leaves its lock, and the next taker breaks it (unbroken, acquire() fails at its timeout)
    let taken = false
    await new FileLock(file, 1000).with(async () => {
      taken = true
    })
    expect(taken).to.equal(true)
    expect(existsSync(file)).to.equal(false)
  })
})
