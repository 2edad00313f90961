import {terminalColumns} from './cells.js'
import {JsonRenderer} from './json.js'
import {Renderer} from './record.js'
import {TableRenderer} from './table.js'

/** Rows the plugin renders itself; CSV always comes from the server (COPY, as list --csv and export get it). */
export type RowFormat = 'json' | 'table'

export function renderer(format: RowFormat, options: {color?: boolean; columns?: number} = {}): Renderer {
  return format === 'json' ? new JsonRenderer() : new TableRenderer({bold: options.color, columns: options.columns})
}

/** The renderer for stdout: when it is a terminal, bold headers (unless NO_COLOR) and tables fitted to its width. */
export function stdoutRenderer(format: RowFormat): Renderer {
  return renderer(format, {color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR, columns: terminalColumns()})
}
