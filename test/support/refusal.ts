import {expect} from 'chai'

import type {RunResult} from './run.js'

import {getWorld, TOKEN} from './world.js'

/** Every credential the tests know of: none may ever reach stdout or stderr. */
export function credentials(): string[] {
  const {pg} = getWorld()
  return [pg.url, pg.password, pg.user, TOKEN]
}

export function expectNoCredentials(result: RunResult, extra: string[] = []): void {
  const output = result.stdout + result.stderr
  for (const secret of [...credentials(), ...extra]) expect(output, 'a credential was printed').not.to.include(secret)
}

/**
 * What every refusal looks like to a user: exit code 1, nothing on stdout,
 * exactly one line on stderr that says `expected`, and no credential.
 * Returns that line.
 */
export function expectRefusal(result: RunResult, expected: RegExp | string, extraSecrets: string[] = []): string {
  expect(result.exitCode, result.stderr).to.equal(1)
  expect(result.stdout).to.equal('')
  const lines = result.stderr.split('\n').filter(line => line.trim() !== '')
  expect(lines, result.stderr).to.have.length(1)
  const [line] = lines
  expect(line).to.match(/^ › {3}Error: \S/)
  if (typeof expected === 'string') expect(line).to.include(expected)
  else expect(line).to.match(expected)
  expectNoCredentials(result, extraSecrets)
  return line
}
