import {expect} from 'chai'

import {countLines, JsonArrayLines} from '../../../src/lib/output/lines.js'

const NDJSON = '{"id":1,"action":"a\\nb"}\n{"id":2,"action":"é😀"}\n{"id":3,"action":"x"}\n'

function framed(chunks: Buffer[]): string {
  const lines = new JsonArrayLines()
  return Buffer.concat([...chunks.map(c => lines.chunk(c)), Buffer.from(lines.end())]).toString()
}

describe('JsonArrayLines', function () {
  it('turns NDJSON into the array list --json prints, however the chunks are cut (even inside a character)', function () {
    const bytes = Buffer.from(NDJSON)
    const whole = '[\n{"id":1,"action":"a\\nb"},\n{"id":2,"action":"é😀"},\n{"id":3,"action":"x"}\n]\n'
    expect(framed([bytes])).to.equal(whole)
    for (let cut = 0; cut <= bytes.length; cut++) {
      for (const second of [cut, Math.min(bytes.length, cut + 7)]) {
        const chunks = [bytes.subarray(0, cut), bytes.subarray(cut, second), bytes.subarray(second)]
        expect(framed(chunks), `cut at ${cut} and ${second}`).to.equal(whole)
      }
    }

    expect(JSON.parse(whole)).to.have.length(3)
  })

  it('gives [] for no rows', function () {
    expect(framed([])).to.equal('[]\n')
    expect(JSON.parse(framed([Buffer.alloc(0)]))).to.deep.equal([])
  })
})

describe('countLines', function () {
  it('counts line feeds', function () {
    expect(countLines(Buffer.from(NDJSON))).to.equal(3)
    expect(countLines(Buffer.from('no line end'))).to.equal(0)
    expect(countLines(Buffer.from('\n\n'))).to.equal(2)
  })
})
