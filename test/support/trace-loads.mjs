// Preload (NODE_OPTIONS=--import) that appends the URL of every module the
// process loads through the ES module loader to the file in TRACE_LOADS_FILE.
// The same file is the hooks module, run again on the loader's own thread.
import {appendFileSync} from 'node:fs'
import {register} from 'node:module'
import {isMainThread} from 'node:worker_threads'

if (isMainThread && process.env.TRACE_LOADS_FILE) register(import.meta.url, {data: process.env.TRACE_LOADS_FILE})

let file

export function initialize(data) {
  file = data
}

export async function load(url, context, next) {
  if (file) appendFileSync(file, `${url}\n`)
  return next(url, context)
}
