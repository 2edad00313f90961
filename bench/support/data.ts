import {once} from 'node:events'
import {createWriteStream} from 'node:fs'
import pg from 'pg'

import type {Measured} from './runner.js'

const VERBS = ['deploy', 'backup', 'restore', 'migrate', 'notify, "loudly"', 'résumé 🚀']

/** The i-th row: some values need CSV quoting, some are not ASCII. */
function row(i: number): [string, string, boolean] {
  return [VERBS[i % VERBS.length], `/api/v${i % 3}/items/${i}`, i % 4 === 0]
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/** `rows` rows; with `flipped`, that many of them, spread evenly, with the other status (a file for actions:apply). */
export async function writeCsv(file: string, rows: number, flipped = 0): Promise<void> {
  const out = createWriteStream(file)
  out.write('action,path,status\n')
  let chunk = ''
  const every = flipped > 0 ? Math.floor(rows / flipped) : 0
  for (let i = 1; i <= rows; i++) {
    const [action, path, status] = row(i)
    chunk += `${csvField(action)},${csvField(path)},${every > 0 && i % every === 0 && i / every <= flipped ? !status : status}\n`
    if (chunk.length > 65_536 || i === rows) {
      if (!out.write(chunk)) await once(out, 'drain')
      chunk = ''
    }
  }

  out.end()
  await once(out, 'finish')
}

/** The tutorial's way: one parameterized INSERT per row, all in one transaction. */
export async function insertRowByRow(url: string, rows: number): Promise<Measured> {
  const client = new pg.Client({connectionString: url, ssl: {rejectUnauthorized: false}})
  await client.connect()
  try {
    const started = performance.now()
    await client.query('BEGIN')
    for (let i = 1; i <= rows; i++) {
      const [action, path, status] = row(i)
      await client.query('INSERT INTO actions (action, path, status) VALUES ($1, $2, $3)', [action, path, status])
    }

    await client.query('COMMIT')
    return {ms: performance.now() - started}
  } finally {
    await client.end()
  }
}
