import {RowError} from './row-error.js'

/**
 * Bytes to text, refusing what is not UTF-8 instead of replacing it with
 * U+FFFD. Chunks may split a character: its first bytes wait for the next.
 * A byte order mark at the very start is dropped.
 */
export class Utf8Decoder {
  private readonly decoder = new TextDecoder('utf8', {fatal: true, ignoreBOM: true})
  private started = false
  private tail: Buffer | undefined

  /**
   * The text of `chunk`. When it holds invalid bytes, `lineAt(validText)`
   * tells on which line they are, from the valid text before them.
   */
  decode(chunk: Buffer, lineAt: (validText: string) => number): string {
    const bytes = this.tail ? Buffer.concat([this.tail, chunk]) : chunk
    const cut = completeLength(bytes)
    this.tail = cut < bytes.length ? bytes.subarray(cut) : undefined
    const whole = bytes.subarray(0, cut)
    let text: string
    try {
      text = this.decoder.decode(whole)
    } catch {
      const bad = firstInvalid(whole)
      throw invalid(lineAt(this.strip(this.decoder.decode(whole.subarray(0, bad)))))
    }

    return this.strip(text)
  }

  /** Bytes left over at the end: the start of a character that never came. */
  end(lineAt: (validText: string) => number): void {
    if (this.tail) throw invalid(lineAt(''))
  }

  private strip(text: string): string {
    if (this.started || text === '') return text
    this.started = true
    return text.codePointAt(0) === 0xFE_FF ? text.slice(1) : text
  }
}

function invalid(line: number): RowError {
  return new RowError(line, 'the text is not valid UTF-8 (saved as Latin-1 or UTF-16?): save the file as UTF-8')
}

/** How many bytes of `bytes` end on a character boundary: an incomplete last sequence is left out. */
function completeLength(bytes: Buffer): number {
  const n = bytes.length
  for (let i = n - 1; i >= Math.max(0, n - 3); i--) {
    const b = bytes[i]
    if ((b & 0xC0) === 0x80) continue
    if (b < 0xC0) return n
    const need = b >= 0xF0 ? 4 : (b >= 0xE0 ? 3 : 2)
    return n - i < need ? i : n
  }

  return n
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalid(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]
    if (b < 0x80) {
      i++
      continue
    }

    /* eslint-disable unicorn/no-nested-ternary -- the table of valid lead bytes (RFC 3629), one row a line */
    const [need, low, high] = b >= 0xC2 && b <= 0xDF
      ? [1, 0x80, 0xBF]
      : b === 0xE0
        ? [2, 0xA0, 0xBF]
        : b === 0xED
          ? [2, 0x80, 0x9F]
          : b >= 0xE1 && b <= 0xEF
            ? [2, 0x80, 0xBF]
            : b === 0xF0
              ? [3, 0x90, 0xBF]
              : b === 0xF4
                ? [3, 0x80, 0x8F]
                : b >= 0xF1 && b <= 0xF3 ? [3, 0x80, 0xBF] : [0, 0, 0]
    /* eslint-enable unicorn/no-nested-ternary */
    if (need === 0 || i + need >= bytes.length) return i
    if (bytes[i + 1] < low || bytes[i + 1] > high) return i
    for (let k = 2; k <= need; k++) if ((bytes[i + k] & 0xC0) !== 0x80) return i
    i += need + 1
  }

  return bytes.length
}
