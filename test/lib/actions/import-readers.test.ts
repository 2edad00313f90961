import {expect} from 'chai'

import {CsvReader} from '../../../src/lib/actions/import/csv-reader.js'
import {JsonArrayReader} from '../../../src/lib/actions/import/json-array-reader.js'
import {NdjsonReader} from '../../../src/lib/actions/import/ndjson-reader.js'
import {MAX_RECORD} from '../../../src/lib/actions/import/record-reader.js'
import {RowError} from '../../../src/lib/actions/import/row-error.js'
import {Utf8Decoder} from '../../../src/lib/actions/import/utf8.js'

/** Every record with its line, the text given in pieces of `size` characters. */
function csv(text: string, size = text.length || 1): Array<[string[], number]> {
  const records: Array<[string[], number]> = []
  const reader = new CsvReader((fields, line) => records.push([fields, line]))
  for (let i = 0; i < text.length; i += size) reader.push(text.slice(i, i + size))
  reader.end()
  return records
}

function refusal(fn: () => unknown): {line: number; reason: string} {
  try {
    fn()
  } catch (error) {
    if (error instanceof RowError) return {line: error.line, reason: error.reason}
    throw error
  }

  throw new Error('not refused')
}

describe('CsvReader', function () {
  it('reads records with their line numbers, however the text is cut', function () {
    const text = 'action,path\r\na,"/x\r\ny"\n\n"b ""q""",/b\nc,/c'
    const expected = [[['action', 'path'], 1], [['a', '/x\r\ny'], 2], [['b "q"', '/b'], 5], [['c', '/c'], 6]]
    for (const size of [1, 2, 3, 5, 7, 100]) expect(csv(text, size), `pieces of ${size}`).to.deep.equal(expected)
  })

  it('keeps empty fields, and a last line without a line break', function () {
    expect(csv('a,,\n,"",x')).to.deep.equal([[['a', '', ''], 1], [['', '', 'x'], 2]])
  })

  it('names the line of a broken quote, counting line breaks inside quoted fields', function () {
    expect(refusal(() => csv('h\n"a\nb"\nc"d\n'))).to.deep.include({line: 4})
    expect(refusal(() => csv('h\n"a"b\n')).reason).to.match(/closing quote must be followed/)
    expect(refusal(() => csv('h\n"never closed\n\n', 2))).to.deep.equal({line: 2, reason: 'a quoted field is never closed: add the closing quote'})
  })

  it('refuses a record longer than any row can be, before it fills memory', function () {
    const reader = new CsvReader(() => {})
    reader.push('action,path\n')
    expect(refusal(() => reader.push('x'.repeat(MAX_RECORD + 1))).line).to.equal(2)
  })
})

describe('NdjsonReader', function () {
  it('reads one object per line, skipping blank lines, with CRLF', function () {
    const objects: Array<[unknown, number]> = []
    const reader = new NdjsonReader((object, line) => objects.push([object, line]))
    for (const chunk of ['{"a":1}\r\n\n  \n{"b"', String.raw`:"x\ny"}`]) reader.push(chunk)
    reader.end()
    expect(objects).to.deep.equal([[{a: 1}, 1], [{b: 'x\ny'}, 4]])
  })

  it('names the line that is not JSON or not an object', function () {
    const reader = new NdjsonReader(() => {})
    expect(refusal(() => reader.push('{}\n{"a":\n')).line).to.equal(2)
    expect(refusal(() => new NdjsonReader(() => {}).push('\n\n"text"\n'))).to.deep.include({line: 3})
  })

  it('keeps an id above 2^53 exact, as the digits written (#12)', function () {
    const objects: unknown[] = []
    const reader = new NdjsonReader(object => objects.push(object))
    reader.push('{"id":9007199254740993,"action":"a 12345678901234567 b","n":1.2345678901234567,"e":12345678901234567e2}\n')
    reader.end()
    expect(objects).to.deep.equal([{
      // eslint-disable-next-line no-loss-of-precision -- the literals round as JSON.parse rounds them: that is the test
      action: 'a 12345678901234567 b', e: 12_345_678_901_234_567e2, id: '9007199254740993', n: 1.234_567_890_123_456_7,
    }])
  })
})

/** Every element with its line, the text given in pieces of `size` characters. */
function jsonArray(text: string, size = text.length || 1): Array<[unknown, number]> {
  const objects: Array<[unknown, number]> = []
  const reader = new JsonArrayReader((object, line) => objects.push([object, line]))
  for (let i = 0; i < text.length; i += size) reader.push(text.slice(i, i + size))
  reader.end()
  return objects
}

// #14: `list --json > x.json; import x.json` said "not valid JSON"
describe('JsonArrayReader', function () {
  it('reads the array list --json prints, and any other layout of it, however the text is cut', function () {
    const listed = '[\n{"id":1,"action":"a","path":"/[x]"},\n{"id":2,"action":"b\\"}{","path":"/y"}\n]\n'
    const pretty = '[\n  {\n    "id": 1, "action": "a", "path": "/[x]"\n  },\n  {"id": 2, "action": "b\\"}{", "path": "/y"}\n]'
    for (const size of [1, 2, 3, 7, 100]) {
      expect(jsonArray(listed, size), `pieces of ${size}`).to.deep.equal([[{action: 'a', id: 1, path: '/[x]'}, 2], [{action: 'b"}{', id: 2, path: '/y'}, 3]])
      expect(jsonArray(pretty, size).map(([, line]) => line), `pieces of ${size}`).to.deep.equal([2, 5])
    }

    expect(jsonArray('[]')).to.deep.equal([])
    expect(jsonArray(' [ ] \n')).to.deep.equal([])
  })

  it('names the line of what is not an array of objects', function () {
    expect(refusal(() => jsonArray('[\n{"a":1},\n2\n]'))).to.deep.include({line: 3})
    expect(refusal(() => jsonArray('[\n{"a":1}\n{"b":2}]')).line).to.equal(3)
    expect(refusal(() => jsonArray('[\n{"a":1},,{"b":2}]')).line).to.equal(2)
    expect(refusal(() => jsonArray('[\n{"a":1}\n\n')).reason).to.match(/never closed/)
    expect(refusal(() => jsonArray('[{"a":1}]\n[]')).reason).to.match(/after the array's closing/)
    expect(refusal(() => jsonArray('{"a":1}')).reason).to.match(/not a JSON array/)
  })
})

describe('Utf8Decoder', function () {
  it('joins a character split across chunks, and drops a leading byte order mark only', function () {
    const bytes = Buffer.from('\uFEFFé🚀\uFEFF')
    const decoder = new Utf8Decoder()
    const text = [...bytes].map(b => decoder.decode(Buffer.from([b]), () => 0)).join('')
    decoder.end(() => 0)
    expect(text).to.equal('é🚀\uFEFF')
  })

  it('names the line of the first invalid byte from the valid text before it', function () {
    const decoder = new Utf8Decoder()
    let before = ''
    const lineAt = (valid: string) => {
      before += valid
      return before.split('\n').length
    }

    expect(decoder.decode(Buffer.from('a\nb\n'), lineAt)).to.equal('a\nb\n')
    before = 'a\nb\n'
    expect(refusal(() => decoder.decode(Buffer.from([0x63, 0x0A, 0x64, 0xE9, 0x0A]), lineAt)).line).to.equal(4)
  })

  it('refuses a character cut off at the end', function () {
    const decoder = new Utf8Decoder()
    decoder.decode(Buffer.from([0x61, 0xF0, 0x9F]), () => 1)
    expect(refusal(() => decoder.end(() => 7)).line).to.equal(7)
  })

  /** The line the decoder names for `chunks`, given one after the other. */
  function refusedAt(...chunks: number[][]): number {
    const decoder = new Utf8Decoder()
    let before = ''
    const lineAt = (valid: string) => (before + valid).split('\n').length
    return refusal(() => {
      for (const chunk of chunks) before += decoder.decode(Buffer.from(chunk), lineAt)
      decoder.end(lineAt)
    }).line
  }

  it('refuses overlong forms, surrogates and stray continuations, on their line', function () {
    const ok = [...Buffer.from('ok é 🚀\n')]
    expect(refusedAt([...ok, 0x61, 0xC0, 0xAF])).to.equal(2)
    expect(refusedAt([...ok, 0x0A, 0x61, 0x62, 0xED, 0xA0, 0x80])).to.equal(3)
    expect(refusedAt([0x80])).to.equal(1)
    expect(refusedAt([0x0A, 0xE2, 0x82, 0x0A])).to.equal(2)
  })

  it('names the right line when the refusal comes where two chunks meet (#12)', function () {
    // a character split across chunks, then an invalid byte two lines on
    expect(refusedAt([0x61, 0xF0, 0x9F], [0x9A, 0x80, 0x0A, 0x0A, 0xFF])).to.equal(3)
    // a character cut short by the next chunk, which has an invalid byte further on
    expect(refusedAt([0x0A, 0x61, 0xE2], [0x0A, 0x0A, 0xFF])).to.equal(2)
    expect(refusedAt([0x0A, 0xF0, 0x9F, 0x9A], [0x61, 0x0A, 0xFF])).to.equal(2)
    // one byte at a time
    expect(refusedAt(...[...Buffer.from('é\n🚀\n'), 0xC3, 0x0A].map(b => [b]))).to.equal(3)
  })
})
