import {expect} from 'chai'

import {WriteError} from '../../src/lib/errors.js'
import {run, runBin} from '../support/run.js'
import {APP, freshApp, getWorld} from '../support/world.js'

describe('errors carry what the Heroku CLI and a maintainer need', function () {
  beforeEach(async function () {
    await freshApp()
  })

  it("a Platform API 4xx keeps its HTTP status, so the real heroku's finally hook does not report it as a crash", async function () {
    const {error, exitCode} = await run(['actions:list', '--app', 'no-such-app'])
    expect(exitCode).to.equal(1)
    expect(error?.message).to.include('app no-such-app not found')
    expect((error as {statusCode?: number}).statusCode).to.equal(404)
  })

  it('a 403 (a team app the user cannot access) keeps its status', async function () {
    getWorld().api.failNext(403)
    const {error} = await run(['actions:list', '--app', APP])
    expect((error as {statusCode?: number}).statusCode).to.equal(403)
  })

  it('a validation error carries the user-error status 400', async function () {
    const {error} = await run(['actions:done', 'abc', '--app', APP])
    expect(error?.message).to.include('is not an action id')
    expect((error as {statusCode?: number}).statusCode).to.equal(400)
  })

  it('with DEBUG=heroku-actions*, an error is shown with its stack and its causes, credentials redacted', async function () {
    const {pg} = getWorld()
    // a refused connection: a UserError whose cause is the socket's error
    getWorld().api.setDatabaseUrl(APP, 'DATABASE', pg.url.replace(`:${pg.port}/`, ':1/'))
    const {exitCode, stderr} = await runBin(['actions:list', '--app', APP], {env: {DEBUG: 'heroku-actions*'}})
    expect(exitCode).to.equal(1)
    expect(stderr).to.match(/heroku-actions UserError: could not connect to the database at 127\.0\.0\.1:1: connection refused[^\n]*\n\s+at /)
    expect(stderr).to.match(/caused by: Error: connect ECONNREFUSED 127\.0\.0\.1:1\n\s+at /)
    expect(stderr).not.to.include(pg.password)
  })

  it('without DEBUG, the error is one line and no stack', async function () {
    getWorld().api.setDatabaseUrl(APP, 'DATABASE', getWorld().pg.url.replace(`:${getWorld().pg.port}/`, ':1/'))
    const {stderr} = await runBin(['actions:list', '--app', APP], {env: {DEBUG: ''}})
    expect(stderr.trim().split('\n')).to.have.length(1)
  })
})

describe('WriteError', function () {
  const failure = (code: string) => Object.assign(new Error(code), {code})

  it('names the --output file and says what to do for each way writing it fails', function () {
    expect(new WriteError(failure('ENOENT'), '/x/out.csv').message).to.equal('could not write /x/out.csv: no such file or directory; check the path')
    expect(new WriteError(failure('EACCES'), '/x/out.csv').message).to.equal('could not write /x/out.csv: permission denied; choose a --output where you may write')
    expect(new WriteError(failure('EROFS'), '/x/out.csv').message).to.equal('could not write /x/out.csv: the file system is read-only; choose a --output where you may write')
    expect(new WriteError(failure('ENOSPC'), '/x/out.csv').message).to.equal('could not write /x/out.csv: the disk is full; free some space, or choose an --output on another disk')
  })

  it('says "the output" for stdout, and marks a reader that went away', function () {
    expect(new WriteError(failure('ENOSPC')).message).to.equal('could not write the output: the disk is full')
    expect(new WriteError(failure('EPIPE')).brokenPipe).to.equal(true)
  })
})
