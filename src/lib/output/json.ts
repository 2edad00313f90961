import {JsonArrayLines} from './lines.js'
import {type ActionRecord, recordAsJson, type Renderer} from './record.js'

/** A JSON array written one object a line, framed as list --json frames COPY's lines: valid JSON, and streamable. */
export class JsonRenderer implements Renderer {
  private readonly array = new JsonArrayLines()

  end(): string {
    return this.array.end()
  }

  rows(rows: ActionRecord[]): string {
    return this.array.chunk(Buffer.from(rows.map(row => `${recordAsJson(row)}\n`).join(''))).toString()
  }
}
