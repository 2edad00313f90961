import {existsSync} from 'node:fs'
import {type Browser, chromium} from 'playwright-core'

import {skipUnlessCi} from './ci.js'

/** Debian's chromium package (CHROMIUM_PATH names another); playwright-core drives it and downloads no browser of its own. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

// Without the background-networking flags, Chromium keeps trying to reach
// Google's hosts, which this machine's closed network refuses. Playwright
// gives every launch a fresh, temporary --user-data-dir.
const ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * Headless Chromium for a describe's tests, launched in its `before`.
 * Without the browser, the tests are skipped with the reason printed;
 * in CI (CI=true), where .ci/run installs it, they fail instead.
 */
export function useBrowser(): {browser(): Browser} {
  let browser: Browser | undefined
  before(async function () {
    if (!existsSync(CHROMIUM)) skipUnlessCi(this, `no browser at ${CHROMIUM}: install Debian's chromium package (apt-get install -y chromium), as .ci/run does`)

    this.timeout(30_000)
    browser = await chromium.launch({args: ARGS, executablePath: CHROMIUM, headless: true})
  })
  after(async function () {
    await browser?.close()
    browser = undefined
  })
  return {browser: () => browser!}
}
