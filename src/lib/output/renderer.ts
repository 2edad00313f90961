import {CsvRenderer} from './csv.js'
import {JsonRenderer} from './json.js'
import {Format, Renderer} from './record.js'
import {TableRenderer} from './table.js'

export function renderer(format: Format, options: {color?: boolean} = {}): Renderer {
  switch (format) {
    case 'csv': {
      return new CsvRenderer()
    }

    case 'json': {
      return new JsonRenderer()
    }

    default: {
      return new TableRenderer(options.color)
    }
  }
}
