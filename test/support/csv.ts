/**
 * A strict RFC 4180 reader for tests: records end with LF (or CRLF); a
 * field is quoted ("" for a quote inside) or holds no quote, comma, CR or
 * LF at all; anything else throws, so sloppy output cannot pass.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let i = 0
  const endOfField = () => {
    if (i === text.length || text[i] === '\n') {
      records.push(record)
      record = []
      i++
      return
    }

    if (text.startsWith('\r\n', i)) {
      records.push(record)
      record = []
      i += 2
      return
    }

    if (text[i] !== ',') throw new Error(`CSV: unexpected ${JSON.stringify(text[i])} at ${i}`)
    i++
  }

  while (i < text.length) {
    if (text[i] === '"') {
      let value = ''
      i++
      while (true) {
        const close = text.indexOf('"', i)
        if (close === -1) throw new Error('CSV: unterminated quoted field')
        value += text.slice(i, close)
        i = close + 1
        if (text[i] !== '"') break
        value += '"'
        i++
      }

      record.push(value)
    } else {
      const end = text.slice(i).search(/[,\n]|\r\n/)
      const value = end === -1 ? text.slice(i) : text.slice(i, i + end)
      if (/["\r]/.test(value)) throw new Error(`CSV: a quote or CR in an unquoted field: ${JSON.stringify(value)}`)
      record.push(value)
      i += value.length
    }

    endOfField()
  }

  if (!text.endsWith('\n') && text !== '') throw new Error('CSV: the last record has no line end')
  return records
}
