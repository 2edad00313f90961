import {expect} from 'chai'
import {PassThrough} from 'node:stream'

import {Progress, type ProgressOptions} from '../../../src/lib/output/progress.js'

function progress(options: Partial<ProgressOptions>) {
  let clock = 0
  const stream = new PassThrough()
  let text = ''
  stream.on('data', chunk => {
    text += chunk
  })
  const bar = new Progress({
    live: false, stream, summary: false, verb: 'imported', ...options, now: () => clock,
  })
  const advance = (ms: number) => {
    clock += ms
  }

  return {advance, bar, text: () => text}
}

describe('Progress', function () {
  it('redraws one line on a terminal with rows, bytes, percent and rate, and clears it before the summary', function () {
    const {advance, bar, text} = progress({live: true, summary: true, totalBytes: 4_000_000})
    advance(2000)
    bar.tick(250_000, 1_000_000)
    expect(text()).to.equal('\r\u001B[2Kimported 250,000 actions, 1.0 MB (25%), 125,000 actions/s')
    advance(2200)
    bar.done(1_000_000)
    expect(text()).to.match(/\r\u001B\[2Kimported 1,000,000 actions in 4\.2 s\n$/)
  })

  it('draws at most every 100 ms', function () {
    const {advance, bar, text} = progress({live: true, summary: true})
    advance(150)
    bar.tick(1, 10)
    advance(50)
    bar.tick(2, 20)
    expect(text().match(/imported/g)).to.have.length(1)
  })

  it('says nothing at all when not a terminal and not asked', function () {
    const {advance, bar, text} = progress({})
    advance(10_000)
    bar.tick(5, 50)
    bar.done(5)
    expect(text()).to.equal('')
  })

  it('when asked but not a terminal: a plain line every few seconds and the summary, no terminal controls', function () {
    const {advance, bar, text} = progress({summary: true})
    advance(1000)
    bar.tick(1, 10)
    advance(5000)
    bar.tick(2, 20)
    bar.done(1)
    expect(text()).to.equal('imported 2 actions, 0.0 MB, 0 actions/s\nimported 1 action in 6.0 s\n')
  })

  it('leaves nothing of the live line on failure, and prints no summary', function () {
    const {advance, bar, text} = progress({live: true, summary: true})
    advance(500)
    bar.tick(3, 30)
    bar.stop()
    expect(text()).to.match(/\r\u001B\[2K$/)
    expect(text()).not.to.include(' in ')
  })
})
