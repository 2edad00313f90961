import {terminalColumns} from './cells.js'
import {CsvRenderer} from './csv.js'
import {JsonRenderer} from './json.js'
import {Format, Renderer} from './record.js'
import {TableRenderer} from './table.js'

export function renderer(format: Format, options: {color?: boolean; columns?: number} = {}): Renderer {
  switch (format) {
  case 'csv': {
    return new CsvRenderer()
  }

  case 'json': {
    return new JsonRenderer()
  }

  default: {
    return new TableRenderer({bold: options.color, columns: options.columns})
  }
  }
}

/** The renderer for stdout: when it is a terminal, bold headers (unless NO_COLOR) and tables fitted to its width. */
export function stdoutRenderer(format: Format): Renderer {
  return renderer(format, {color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR, columns: terminalColumns()})
}
