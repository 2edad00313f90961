import {UserError} from '../errors.js'

export const MAX_LENGTH = 255
const MAX_BIGINT = 9_223_372_036_854_775_807n

/**
 * A value for `action` or `path`, checked against what VARCHAR(255) and the
 * web app accept, before anything is written. Length is in characters (code
 * points), as PostgreSQL counts them, not bytes.
 */
export function checkText(field: string, value: string): string {
  const problem = textProblem(field, value)
  if (problem !== undefined) throw new UserError(problem)
  return value
}

/** What checkText would refuse `value` for, or undefined: cheap enough for every row of an import. */
export function textProblem(field: string, value: string): string | undefined {
  if (value.trim() === '') return `${field} is empty: give a value`
  if (value.includes('\0')) return `${field} contains a NUL byte, which PostgreSQL cannot store: remove it`
  if (!value.isWellFormed()) return `${field} is not valid Unicode (a lone surrogate): fix the value's encoding`
  // what Node puts where bytes were not UTF-8 (a Latin-1 terminal or file): storing it would lose the original text
  if (value.includes('\uFFFD')) {
    return `${field} contains U+FFFD, the mark of text that was not valid UTF-8: fix the encoding of the value (UTF-8 expected)`
  }

  // UTF-16 units are never fewer than code points: count those only when it matters
  const length = value.length > MAX_LENGTH ? [...value].length : value.length
  if (length > MAX_LENGTH) return `${field} is ${length} characters long; at most ${MAX_LENGTH} fit: shorten it`
  return undefined
}

/**
 * An action id as its exact decimal text (never through a float: ids go up
 * to 2^63-1), or undefined when `text` is not a positive bigint. Leading
 * zeros are dropped: `007` is action 7.
 */
export function actionId(text: string): string | undefined {
  const digits = text.replace(/^0+(?=\d)/, '')
  // at most 19 digits before BigInt: a long line of digits is refused without parsing it
  if (!/^\d{1,19}$/.test(digits) || BigInt(digits) === 0n || BigInt(digits) > MAX_BIGINT) return undefined
  return digits
}

/** Action ids as given on the command line: positive integers, each once, in the order given. */
export function parseIds(values: string[]): string[] {
  if (values.length === 0) throw new UserError('no id given: pass one or more action ids (see heroku actions:list)')
  const ids: string[] = []
  for (const value of values) {
    const id = actionId(value.trim())
    if (id === undefined) throw new UserError(`${JSON.stringify(value)} is not an action id: ids are positive whole numbers (see heroku actions:list)`)
    if (!ids.includes(id)) ids.push(id)
  }

  return ids
}
