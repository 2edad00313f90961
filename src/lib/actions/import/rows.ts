import {type FileFormat, formatOfContent} from '../formats.js'
import {
  ACCEPTED, Column, headerColumns, isColumn, REQUIRED,
} from './columns.js'
import {CopyEncoder} from './copy-encoder.js'
import {CsvReader} from './csv-reader.js'
import {JsonArrayReader} from './json-array-reader.js'
import {JsonObject, NdjsonReader} from './ndjson-reader.js'
import {RecordReader} from './record-reader.js'
import {RowError} from './row-error.js'
import {Utf8Decoder} from './utf8.js'

/** NDJSON rows may leave out status and timestamps: COPY gets all of them, with their defaults. */
const NDJSON_COLUMNS: readonly Column[] = ['action', 'path', 'status', 'created_at', 'updated_at']

export interface ProgressSink {
  tick(rows: number, bytes: number): void
}

/**
 * The input, a chunk at a time, as COPY text-format rows for the actions
 * table: decoded, parsed, every value checked. The first line (CSV's header,
 * NDJSON's first object) decides the columns, so `start` reads until it
 * has them; `chunks` then yields everything, in large Buffers.
 */
export class ImportRows {
  bytes = 0
  private readonly decoder = new Utf8Decoder()
  private early = ''
  private encoder: CopyEncoder | undefined
  private readonly input: AsyncIterator<Buffer>
  private reader: RecordReader<JsonObject> | RecordReader<string[]> | undefined

  constructor(input: AsyncIterable<Buffer>, private readonly format?: FileFormat, private readonly progress?: ProgressSink) {
    this.input = input[Symbol.asyncIterator]()
  }

  get rows(): number {
    return this.encoder?.rows ?? 0
  }

  async * chunks(): AsyncGenerator<Buffer> {
    let bytes = this.encoder?.take()
    if (bytes) yield bytes
    while (true) {
      const {done, value} = await this.input.next()
      if (done) break
      this.feed(value)
      bytes = this.encoder?.take()
      if (bytes) yield bytes
    }

    this.finish()
    bytes = this.encoder?.take()
    if (bytes) yield bytes
  }

  /** The input line of the `row`th row sent to COPY. */
  lineOf(row: number): number {
    return this.encoder?.lineOf(row) ?? row
  }

  /** Read until the columns are known (an empty input has action and path). */
  async start(): Promise<readonly Column[]> {
    while (!this.encoder) {
      const {done, value} = await this.input.next()
      if (done) {
        this.finish()
        break
      }

      this.feed(value)
    }

    return this.encoder?.columns ?? REQUIRED
  }

  private csvRecord(fields: string[], line: number): void {
    if (!this.encoder) {
      this.encoder = new CopyEncoder(headerColumns(fields, line))
      return
    }

    const {columns} = this.encoder
    if (fields.length !== columns.length) {
      const noun = fields.length === 1 ? 'value' : 'values'
      throw new RowError(line, `${fields.length} ${noun} where the header has ${columns.length} (${columns.join(',')})`)
    }

    this.encoder.add(fields, line)
  }

  private feed(chunk: Buffer): void {
    this.bytes += chunk.length
    const text = this.decoder.decode(chunk, valid => this.lineAfter(valid))
    this.push(text)
    this.progress?.tick(this.rows, this.bytes)
  }

  private finish(): void {
    this.decoder.end(valid => this.lineAfter(valid))
    this.reader?.end()
  }

  private lineAfter(text: string): number {
    this.push(text)
    return this.reader?.lineAtEnd() ?? 1
  }

  private ndjsonRecord(object: JsonObject, line: number): void {
    const hasId = 'id' in object
    this.encoder ??= new CopyEncoder(hasId ? ['id', ...NDJSON_COLUMNS] : NDJSON_COLUMNS)
    const {columns} = this.encoder
    for (const key in object) {
      if (!isColumn(key)) throw new RowError(line, `unknown key ${JSON.stringify(key)}: the keys are ${ACCEPTED}`)
    }

    if (hasId && columns[0] !== 'id') throw new RowError(line, 'an id, where the first line has none: give ids on every line or on none')
    this.encoder.add(columns.map(column => object[column]), line)
  }

  private push(text: string): void {
    if (!this.reader) {
      // the first character tells the format when the file's name does not (see formatOfContent)
      if (text.trim() === '') {
        this.early += text
        return
      }

      text = this.early + text
      const format = formatOfContent(text, this.format)
      const object = (value: JsonObject, line: number) => this.ndjsonRecord(value, line)
      this.reader = format === 'csv'
        ? new CsvReader((fields, line) => this.csvRecord(fields, line))
        : (format === 'json' ? new JsonArrayReader(object) : new NdjsonReader(object))
    }

    this.reader.push(text)
  }
}
