import {expect} from 'chai'
import {readdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {OutputFile} from '../../../src/lib/output/output-file.js'
import {useTempDir} from '../../support/temp-dir.js'

describe('OutputFile', function () {
  const temp = useTempDir('output-file-')

  it('shows nothing under the name until committed', async function () {
    const file = path.join(temp.dir(), 'out.csv')
    const output = await OutputFile.open(file)
    output.stream.write('a,b\n')
    expect(await readdir(temp.dir())).to.not.include('out.csv')
    await output.commit()
    expect(await readFile(file, 'utf8')).to.equal('a,b\n')
    expect(await readdir(temp.dir())).to.deep.equal(['out.csv'])
  })

  it('leaves nothing behind when discarded', async function () {
    const output = await OutputFile.open(path.join(temp.dir(), 'out.csv'))
    output.stream.write('half')
    await output.discard()
    expect(await readdir(temp.dir())).to.deep.equal([])
  })

  it('refuses an existing file without force, replaces it with force', async function () {
    const file = path.join(temp.dir(), 'out.csv')
    await writeFile(file, 'old')
    let message = ''
    await OutputFile.open(file).catch(error => {
      message = error.message
    })
    expect(message).to.equal(`${file} already exists: pass --force to replace it, or choose another --output`)
    const output = await OutputFile.open(file, {force: true})
    output.stream.write('new')
    await output.commit({force: true})
    expect(await readFile(file, 'utf8')).to.equal('new')
  })

  it('keeps a file that appeared during the export, and says so', async function () {
    const file = path.join(temp.dir(), 'out.csv')
    const output = await OutputFile.open(file)
    output.stream.write('mine')
    await writeFile(file, 'theirs')
    let message = ''
    await output.commit().catch(error => {
      message = error.message
    })
    expect(message).to.match(/was created by something else during the export and was left alone/)
    expect(await readFile(file, 'utf8')).to.equal('theirs')
    expect(await readdir(temp.dir())).to.deep.equal(['out.csv'])
  })

  it('says which file could not be written', async function () {
    const file = path.join(temp.dir(), 'missing', 'out.csv')
    let message = ''
    await OutputFile.open(file).catch(error => {
      message = error.message
    })
    expect(message).to.equal(`could not write ${file}: no such file or directory; check the path`)
  })
})
