// Preload (NODE_OPTIONS=--import) that appends the URL of every module the
// process loads to the file in TRACE_LOADS_FILE: through the ES module loader
// (this file is also the hooks module, run again on the loader's own thread),
// and CommonJS modules required with a require of their own (as the bundle's
// stubs load @sentry/node), which that loader does not see.
import {appendFileSync} from 'node:fs'
import Module, {register} from 'node:module'
import {pathToFileURL} from 'node:url'
import {isMainThread} from 'node:worker_threads'

if (isMainThread && process.env.TRACE_LOADS_FILE) {
  const trace = process.env.TRACE_LOADS_FILE
  register(import.meta.url, {data: trace})
  const compile = Module.prototype._compile
  Module.prototype._compile = function (content, filename) {
    appendFileSync(trace, `${pathToFileURL(filename).href}\n`)
    return compile.call(this, content, filename)
  }
}

let file

export function initialize(data) {
  file = data
}

export async function load(url, context, next) {
  if (file) appendFileSync(file, `${url}\n`)
  return next(url, context)
}
