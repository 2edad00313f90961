import {expect} from 'chai'

import {appWithActions} from '../../support/actions.js'
import {expectNoCredentials, expectRefusal} from '../../support/refusal.js'
import {runBin, type RunResult} from '../../support/run.js'
import {actionsInDb, APP, freshApp} from '../../support/world.js'

// what a pipe or a CI log gets: no colour requested, no terminal
const PIPED = {FORCE_COLOR: undefined, NO_COLOR: undefined}

async function bin(...argv: string[]): Promise<RunResult> {
  const result = await runBin([...argv, '--app', APP], {env: PIPED})
  expectNoCredentials(result)
  // no spinner frames, cursor movement or colour when nobody is watching a terminal
  for (const output of [result.stdout, result.stderr]) {
    expect(output).not.to.include('\u001B')
    expect(output).not.to.include('\r')
  }

  return result
}

function succeeded(result: RunResult): RunResult {
  expect(result.exitCode, result.stderr).to.equal(0)
  return result
}

describe('bin/run.js, as a script would run it', function () {
  it('runs the quick start: stdout carries only the data, stderr stays quiet', async function () {
    await freshApp()
    const init = succeeded(await bin('actions:init'))
    expect(init.stdout).to.match(/^Created the actions table on DATABASE on example-app \(schema version \d+\)\.\n$/)
    expect(init.stderr).to.equal('')

    const added = succeeded(await bin('actions:add', 'deploy', '/api/deploy', '--json'))
    const [row] = JSON.parse(added.stdout)
    expect(row).to.include({
      action: 'deploy', id: 1, path: '/api/deploy', status: false,
    })
    expect(added.stderr).to.equal('')
    succeeded(await bin('actions:add', 'backup', '/api/backup', '--done'))

    const listed = succeeded(await bin('actions:list', '--json'))
    expect(JSON.parse(listed.stdout).map((r: {id: number; status: boolean}) => [r.id, r.status])).to.deep.equal([[1, false], [2, true]])
    expect(listed.stderr).to.equal('')

    const done = succeeded(await bin('actions:done', '1', '--json'))
    expect(JSON.parse(done.stdout)[0]).to.include({id: 1, status: true})
    const updated = succeeded(await bin('actions:update', '2', '--path', '/v2/backup', '--pending', '--json'))
    expect(JSON.parse(updated.stdout)[0]).to.include({id: 2, path: '/v2/backup', status: false})

    const removed = succeeded(await bin('actions:remove', '1', '--confirm', APP, '--json'))
    expect(JSON.parse(removed.stdout).map((r: {id: number}) => r.id)).to.deep.equal([1])
    expect(await actionsInDb()).to.deep.equal([{
      action: 'backup', id: 2, path: '/v2/backup', status: false,
    }])
  })

  it('prints a plain table and CSV', async function () {
    await appWithActions([['deploy', '/api/deploy', false], ['backup', '/api/backup', true]])
    const table = succeeded(await bin('actions:list'))
    const lines = table.stdout.trimEnd().split('\n')
    expect(lines[0]).to.match(/^id\s+action\s+path\s+status\s+created_at$/)
    expect(lines.slice(2).map(line => line.split(/\s+/).slice(0, 4))).to.deep.equal([
      ['1', 'deploy', '/api/deploy', 'pending'], ['2', 'backup', '/api/backup', 'done'],
    ])
    const csv = succeeded(await bin('actions:list', '--csv'))
    expect(csv.stdout.split('\n')[0]).to.equal('id,action,path,status,created_at,updated_at')
    expect(csv.stdout.trimEnd().split('\n')).to.have.length(3)
  })

  it('exits 1 with one line and changes nothing when the input is refused', async function () {
    await appWithActions([['deploy', '/api/deploy']])
    expectRefusal(await bin('actions:done', '1', '7'), 'no action with id 7')
    expectRefusal(await bin('actions:add', 'deploy', ''), /empty/)
    expectRefusal(await bin('actions:update', 'x1'), /x1/)
    expect(await actionsInDb()).to.deep.equal([{
      action: 'deploy', id: 1, path: '/api/deploy', status: false,
    }])
  })

  it('exits 1 saying to run actions:init when the table is missing', async function () {
    await freshApp()
    expectRefusal(await bin('actions:list', '--json'), `run heroku actions:init -a ${APP}`)
  })

  it('exits 2 for a flag oclif cannot parse, with nothing on stdout', async function () {
    await appWithActions()
    const result = await bin('actions:list', '--status', 'finished')
    expect(result.exitCode).to.equal(2)
    expect(result.stdout).to.equal('')
    expect(result.stderr).to.include('--status')
  })
})

describe('debug output', function () {
  for (const env of [{DEBUG: '*'}, {HEROKU_DEBUG: '1', HEROKU_DEBUG_HEADERS: '1'}]) {
    it(`shows no credential with ${Object.keys(env).join(' and ')}`, async function () {
      await appWithActions([['deploy', '/api/deploy']])
      const result = await runBin(['actions:list', '--app', APP, '--json'], {env})
      expect(result.exitCode, result.stderr).to.equal(0)
      expect(JSON.parse(result.stdout)).to.have.length(1)
      // the debug output is really on: the Platform API's answer with the config vars, redacted
      expect(result.stderr).to.match(/http ← GET http:\/\/127\.0\.0\.1\S*\/apps\/example-app\/config-vars 200/)
      // every config var's value is dropped (the app's other secrets too), names kept
      expect(result.stderr).to.include("DATABASE_URL: '[REDACTED]'")
      if ('DEBUG' in env) expect(result.stderr).to.match(/ oclif:config runCommand actions:list /)
      else expect(result.stderr).to.include("authorization: '[REDACTED]'")
      expectNoCredentials(result)
    })
  }
})
