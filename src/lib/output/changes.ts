import type {Change} from '../actions/feed/change.js'

import {printable} from './printable.js'

const count = (n: string) => Number(n).toLocaleString('en-US')

/** A change as a person reads it, one line: `update #12 deploy /api/deploy (done)`. */
export function changeLine(change: Change): string {
  if (change.op === 'truncate') return 'truncate: every action was removed'
  if ('count' in change) return `${change.op} ${count(change.count)} actions (ids ${change.first_id} to ${change.last_id})`
  const text = printable(`${change.action} ${change.path}`)
  return change.op === 'delete' ? `delete #${change.id} ${text}` : `${change.op} #${change.id} ${text} (${change.status ? 'done' : 'pending'})`
}

/**
 * A change as one line of NDJSON. Ids and counts are written as the exact
 * digits the server sent (JSON numbers of any size, never through a float).
 */
export function changeJson(change: Change): string {
  if (change.op === 'truncate') return '{"op":"truncate"}'
  if ('count' in change) return `{"op":"${change.op}","count":${change.count},"first_id":${change.first_id},"last_id":${change.last_id}}`
  const {action, path, status, updated_at: updatedAt} = change
  return `{"op":"${change.op}","id":${change.id},${JSON.stringify({
    action, path, status, updated_at: updatedAt,
  }).slice(1)}`
}
