import {type ActionRecord, recordAsJson, type Renderer} from './record.js'

/** A JSON array written one object a line: valid JSON, and streamable. */
export class JsonRenderer implements Renderer {
  private count = 0

  end(): string {
    return this.count === 0 ? '[]\n' : '\n]\n'
  }

  rows(rows: ActionRecord[]): string {
    let out = ''
    for (const row of rows) {
      out += (this.count === 0 ? '[\n' : ',\n') + recordAsJson(row)
      this.count++
    }

    return out
  }
}
