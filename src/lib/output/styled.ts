import {format} from 'node:util'

import {hux} from '../heroku/heroku-cli.js'
import {printable} from './printable.js'

/**
 * What `print` writes with console.log, as text. hux prints that way
 * (through oclif's ux.stdout), and console.log drops a failed write (a full
 * disk) without a word: the text goes out through writeOut instead, whose
 * failure the command reports (#14).
 */
function captured(print: () => void): string {
  const lines: string[] = []
  const {log} = console
  console.log = (...args: unknown[]) => {
    lines.push(format(...args))
  }

  try {
    print()
  } finally {
    console.log = log
  }

  return lines.map(line => `${line}\n`).join('')
}

/** Heroku's `=== heading` (hux.styledHeader, as pg:info prints it); `heading` may hold colours, so sanitize its values first. */
export function styledHeader(heading: string): string {
  return captured(() => hux.styledHeader(heading))
}

/** Aligned `Key: value` lines (hux.styledObject, as pg:info prints them); values are sanitized here, empty ones left out. */
export function styledObject(entries: Array<[string, string | undefined]>): string {
  const shown = entries.filter((entry): entry is [string, string] => Boolean(entry[1]))
  return captured(() => hux.styledObject(Object.fromEntries(shown.map(([key, value]) => [key, printable(value)])), shown.map(([key]) => key)))
}
