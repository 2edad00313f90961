/** Whether this run is CI's (CI=true, as .ci/run sets it): there, a test that cannot run fails instead of skipping. */
export function inCi(): boolean {
  const ci = process.env.CI?.toLowerCase()
  return Boolean(ci) && ci !== 'false' && ci !== '0'
}

/**
 * Skip the tests of `context` (a test, or a before hook for its whole
 * describe), printing why; in CI, throw instead, so that what CI promises
 * to run never turns into a skip.
 */
export function skipUnlessCi(context: Mocha.Context, why: string): never {
  if (inCi()) throw new Error(`${why}; in CI this is a failure, not a skip`)
  console.log(`      skipped: ${why}`)
  // eslint-disable-next-line mocha/no-skipped-tests -- the one place a test skips, saying why above, and never in CI
  context.skip()
}
