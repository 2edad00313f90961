import {expect} from 'chai'
import v8 from 'node:v8'
import vm from 'node:vm'

import {withDeadline} from '../../src/lib/timers.js'

/** A full garbage collection, as the process may run one at any time. */
function collect(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)()
}

/** Resolves with the signal's reason once it aborts. */
async function aborted(signal: AbortSignal): Promise<unknown> {
  return new Promise(resolve => {
    signal.addEventListener('abort', () => resolve(signal.reason), {once: true})
  })
}

describe('withDeadline', function () {
  it('aborts after the time, though garbage is collected meanwhile (AbortSignal.any with AbortSignal.timeout did not on Node 20)', async function () {
    const never = new AbortController()
    const collecting = setInterval(collect, 10)
    try {
      const reason = await withDeadline(never.signal, 100, async signal => aborted(signal))
      expect((reason as DOMException).name).to.equal('TimeoutError')
    } finally {
      clearInterval(collecting)
    }
  })

  it('aborts with the outer signal, its reason kept', async function () {
    const outer = new AbortController()
    const result = withDeadline(outer.signal, 60_000, async signal => aborted(signal))
    outer.abort('SIGINT')
    expect(await result).to.equal('SIGINT')
  })

  it('hands an outer signal that is already aborted on as aborted', async function () {
    expect(await withDeadline(AbortSignal.abort('gone'), 60_000, async signal => signal.reason)).to.equal('gone')
  })
})
