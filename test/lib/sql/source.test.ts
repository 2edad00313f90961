import {expect} from 'chai'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {Readable} from 'node:stream'

import {readScript} from '../../../src/lib/sql/source.js'

function stdin(bytes: Buffer, isTTY = false): NodeJS.ReadStream {
  return Object.assign(Readable.from([bytes]), {isTTY}) as unknown as NodeJS.ReadStream
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    return (error as Error).message
  }

  throw new Error('expected a refusal')
}

describe('reading an SQL script (actions:sql)', function () {
  let dir: string

  before(async function () {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sql-source-'))
  })

  after(async function () {
    await rm(dir, {force: true, recursive: true})
  })

  it('refuses a script in Latin-1 read from stdin (--file -), naming the line, instead of turning é into U+FFFD', async function () {
    const bytes = Buffer.from("SELECT 1;\nSELECT 'caf\u00E9';\n", 'latin1')
    expect(await refusal(readScript(undefined, '-', stdin(bytes, true))))
    .to.equal('line 2: the text is not valid UTF-8 (saved as Latin-1 or UTF-16?): save the file as UTF-8; nothing was run')
  })

  it('reads UTF-8 from a file as it is, dropping only a leading byte order mark', async function () {
    const file = path.join(dir, 'script.sql')
    await writeFile(file, "\uFEFFSELECT 'caf\u00E9 \uFEFF';\n")
    expect(await readScript(undefined, file)).to.equal("SELECT 'caf\u00E9 \uFEFF';\n")
  })

  it('refuses an argument together with --file, before reading either', async function () {
    expect(await refusal(readScript('SELECT 1', path.join(dir, 'missing.sql'))))
    .to.equal('give the SQL either as an argument or with --file, not both')
  })

  it('refuses a directory given as the file', async function () {
    expect(await refusal(readScript(undefined, dir))).to.match(/^cannot read .*sql-source-\w+: it is a directory/)
  })

  it('reads stdin when no file is given and stdin is not a terminal, and refuses to wait on a terminal', async function () {
    expect(await readScript(undefined, undefined, stdin(Buffer.from('SELECT 2')))).to.equal('SELECT 2')
    expect(await refusal(readScript(undefined, undefined, stdin(Buffer.alloc(0), true))))
    .to.equal('no SQL given: pass it as an argument, with --file FILE, or on stdin')
  })
})
