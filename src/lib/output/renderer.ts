import {color} from '../heroku/heroku-cli.js'
import {terminalColumns} from './cells.js'
import {JsonRenderer} from './json.js'
import {Renderer} from './record.js'
import {TableRenderer} from './table.js'

/** Rows the plugin renders itself; CSV always comes from the server (COPY, as list --csv and export get it). */
export type RowFormat = 'json' | 'table'

export function renderer(format: RowFormat, options: {bold?: (text: string) => string; columns?: number} = {}): Renderer {
  return format === 'json' ? new JsonRenderer() : new TableRenderer(options)
}

/**
 * The renderer for stdout: bold headers when the Heroku CLI colours its
 * output (a terminal, unless NO_COLOR; FORCE_COLOR), and on a terminal,
 * tables fitted to its width.
 */
export function stdoutRenderer(format: RowFormat): Renderer {
  return renderer(format, {bold: color.bold, columns: terminalColumns()})
}
