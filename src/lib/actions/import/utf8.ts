import {TextDecoder} from 'node:util'

import {RowError} from './row-error.js'

/**
 * Bytes to text, refusing what is not UTF-8 instead of replacing it with
 * U+FFFD: TextDecoder with `fatal` and `stream` (issue 12; it replaced a
 * hand-written boundary and validity scan, as fast: see bench/libraries.ts
 * and bench/results.md). A character split across chunks waits inside the
 * decoder; a byte order mark is dropped at the very start only.
 *
 * TextDecoder does not say where the invalid byte is. On a refusal, a fresh
 * decoder is brought to the state the stream's decoder had before the chunk
 * and bisects the chunk for the longest prefix it takes: the invalid byte is
 * on the line the text of that prefix ends on (a character held back has no
 * line break in it). So one decoder decides, and the line is still named.
 */
export class Utf8Decoder {
  private readonly decoder = new TextDecoder('utf8', {fatal: true})
  /** the last bytes decoded, at most 4: a character the decoder holds back starts among them */
  private recent = Buffer.alloc(0)

  /**
   * The text of `chunk`. When it holds invalid bytes, `lineAt(validText)`
   * tells on which line they are, from the valid text before them.
   */
  decode(chunk: Buffer, lineAt: (validText: string) => number): string {
    let text: string
    try {
      text = this.decoder.decode(chunk, {stream: true})
    } catch {
      throw invalid(lineAt(this.validStart(chunk)))
    }

    this.recent = chunk.length >= 4 ? Buffer.from(chunk.subarray(-4)) : Buffer.concat([this.recent, chunk]).subarray(-4)
    return text
  }

  /** Bytes left over at the end: the start of a character that never came. */
  end(lineAt: (validText: string) => number): void {
    try {
      this.decoder.decode()
    } catch {
      throw invalid(lineAt(''))
    }
  }

  /** A new decoder in the state this one had before the chunk: `recent` from its first character on. */
  private replay(): TextDecoder {
    const decoder = new TextDecoder('utf8', {fatal: true})
    let from = 0
    while (from < this.recent.length && (this.recent[from] & 0xC0) === 0x80) from++
    decoder.decode(this.recent.subarray(from), {stream: true})
    return decoder
  }

  /** The text of the longest start of `chunk`, which was refused, that is valid after what came before. */
  private validStart(chunk: Buffer): string {
    let good = 0
    let bad = chunk.length
    while (bad - good > 1) {
      const middle = (good + bad) >>> 1
      try {
        this.replay().decode(chunk.subarray(0, middle), {stream: true})
        good = middle
      } catch {
        bad = middle
      }
    }

    return this.replay().decode(chunk.subarray(0, good), {stream: true})
  }
}

function invalid(line: number): RowError {
  return new RowError(line, 'the text is not valid UTF-8 (saved as Latin-1 or UTF-16?): save the file as UTF-8')
}
