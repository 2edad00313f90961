import {ListFilter} from './action.js'
import {listQuery} from './list-query.js'

/**
 * csv: the columns with a header, RFC 4180, as import reads them.
 * ndjson: one JSON object a line, the keys and types of list --json (which
 * frames the same lines as an array: see JsonArrayLines).
 */
export type CopyFormat = 'csv' | 'ndjson'

/**
 * The columns as exported: status as true/false; timestamps as PostgreSQL
 * writes them, in UTC (2026-11-27 03:25:13.123456+00, the text psql and
 * pg_dump show). What each costs the server, at 1M rows: to_char on the
 * timestamps as much again as the whole COPY; status::text 9% (a function
 * call per row), the CASE 2%.
 */
const EXPORT_COLUMNS = "id, action, path, CASE WHEN status THEN 'true' ELSE 'false' END AS status, created_at, updated_at"

/** The same columns with their JSON types (row_to_json): id a number, status a boolean, timestamps ISO 8601. */
const JSON_COLUMNS = 'id, action, path, status, created_at, updated_at'

/**
 * Where the filter's values wait for the COPY, set with set_config inside
 * its transaction. COPY takes no bind parameters, so the values travel as
 * parameters of set_config and the query reads them back; never as SQL text.
 */
export function setting(n: number): string {
  return `heroku_actions.filter_${n}`
}

export interface CopyQuery {
  /** what set_config must be given (name, value) in the COPY's transaction first */
  settings: Array<[string, string]>
  sql: string
}

/**
 * COPY ... TO STDOUT for the rows list shows, with the server producing
 * every byte, so the rows go from the socket to the output untouched.
 */
export function copyQuery(filter: ListFilter, format: CopyFormat): CopyQuery {
  const placeholder = (n: number) => `current_setting('${setting(n)}')`
  const columns = format === 'csv' ? EXPORT_COLUMNS : JSON_COLUMNS
  const {params, sql} = listQuery(filter, {columns, placeholder})
  const settings = params.map((value, i): [string, string] => [setting(i + 1), String(value)])
  if (format === 'csv') return {settings, sql: `COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER)`}
  // row_to_json escapes every control character, so a line holds none:
  // with quote and delimiter set to two of them, CSV writes it as it is
  return {settings, sql: `COPY (SELECT row_to_json(r)::text FROM (${sql}) r) TO STDOUT WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`}
}
