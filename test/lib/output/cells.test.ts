import {expect} from 'chai'
import stringWidth from 'string-width'

import {
  displayWidth, fitWidths, tableLine, truncate,
} from '../../../src/lib/output/cells.js'

// #14: emoji and CJK text misaligned the columns (code points were counted)
describe('table cells', function () {
  it('measures what a terminal shows: wide CJK and emoji 2, combining marks 0', function () {
    expect(displayWidth('日本')).to.equal(4)
    expect(displayWidth('🚀')).to.equal(2)
    expect(displayWidth('e\u0301')).to.equal(1)
    expect(displayWidth('abc')).to.equal(3)
  })

  it('measures printable ASCII itself, as string-width would, and everything else with string-width', function () {
    const ascii = Array.from({length: 0x7F - 0x20}, (_, i) => String.fromCodePoint(0x20 + i)).join('')
    for (const text of ['', ascii, `${ascii}é`, 'a\u0301', 'x\u00A0y', 'tab\there', '日本 ab', '\u007F']) {
      expect(displayWidth(text), JSON.stringify(text)).to.equal(stringWidth(text))
    }
  })

  it('pads by display width, so the next column starts at the same place', function () {
    const lines = [['日本', 'x'], ['ab', 'y'], ['🚀', 'z'], ['e\u0301', 'w']].map(cells => tableLine(cells, [4, 1], false))
    expect(lines.map(line => displayWidth(line.trimEnd()))).to.deep.equal([7, 7, 7, 7])
  })

  it('cuts whole characters to the width, ending in …', function () {
    expect(truncate('/日本語/パス', 6)).to.equal('/日本…')
    expect(displayWidth(truncate('🚀🚀🚀', 4))).to.be.at.most(4)
    expect(truncate('short', 10)).to.equal('short')
  })

  it('fits columns to a width by cutting the widest first, never a kept one; never cuts without a width', function () {
    const [id, a, b] = fitWidths([7, 40, 30], 50)
    expect([id, a + b + 4 + id, Math.abs(a - b) <= 1]).to.deep.equal([7, 50, true])
    expect(fitWidths([20, 40, 30], 40, new Set([0]))).to.deep.equal([20, 8, 8])
    expect(fitWidths([7, 40, 30])).to.deep.equal([7, 40, 30])
    expect(fitWidths([7, 10], 80)).to.deep.equal([7, 10])
  })
})
