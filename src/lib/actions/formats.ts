import path from 'node:path'

/**
 * The file formats export writes and import reads. csv: RFC 4180 with a
 * header. ndjson: one JSON object a line. json: a JSON array of the same
 * objects, what actions:list --json prints.
 */
export type FileFormat = 'csv' | 'json' | 'ndjson'
export const FILE_FORMATS: readonly FileFormat[] = ['csv', 'json', 'ndjson']

/** What a file's name says, the same for export and import. */
const BY_EXTENSION: Record<string, FileFormat> = {
  '.csv': 'csv', '.json': 'json', '.jsonl': 'ndjson', '.ndjson': 'ndjson',
}

/** The format a file's name says, or undefined when it says none. */
export function formatOfName(file: string): FileFormat | undefined {
  return BY_EXTENSION[path.extname(file).toLowerCase()]
}

/**
 * The format of an input, from its first characters: `[` is a JSON array,
 * `{` NDJSON. Told CSV (by --format or the name), it is CSV; told one of the
 * JSON forms, the content says which; told nothing, the content says, and
 * anything else is CSV.
 */
export function formatOfContent(text: string, told: FileFormat | undefined): FileFormat {
  if (told === 'csv') return told
  const first = text.trimStart()[0]
  if (first === '[') return 'json'
  if (first === '{') return 'ndjson'
  return told ?? 'csv'
}
