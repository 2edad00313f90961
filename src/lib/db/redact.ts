const REDACTED = '[REDACTED]'
// userinfo and host of any postgres URL, known or not: debug output of the
// Platform API response (config vars) is printed before we know which secret
// it holds, and the host names the customer's database as much as the URL does.
// Quotes are allowed: encodeURIComponent leaves ' in a password as it is.
const URL_USERINFO = /(postgres(?:ql)?:\/\/)[^@\s/]*@[\w.[\]-]*/gi

const secrets = new Set<string>()

/** Remember a value that must never be shown (password, user name, URL). */
export function addSecret(value: string | undefined): void {
  // very short values would redact ordinary words; credentials are long
  if (value && value.length >= 4) {
    secrets.add(value)
    const encoded = encodeURIComponent(value)
    if (encoded !== value) secrets.add(encoded)
  }
}

export function redact(text: string): string {
  return redactSecrets(redactConfigVars(text).replaceAll(URL_USERINFO, `$1${REDACTED}@${REDACTED}`))
}

// HEROKU_DEBUG prints each Platform API response body (util.inspect, one
// write): for the config vars, that is every secret of the app (payment
// keys and the like), not only the database's. Keep the names, drop the values.
const CONFIG_VARS_RESPONSE = /\/config-vars\b/
// a line of util.inspect's object, after whatever prefix debug puts there: `  KEY: 'value',`
const INSPECTED_VALUE = /^([^\n]*?[\s{](?:[\w$-]+|'(?:[^'\\]|\\.)*'): )('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`)(,?)[^\S\n]*$/gm

function redactConfigVars(text: string): string {
  if (!CONFIG_VARS_RESPONSE.test(text) || !text.includes('\u2190')) return text
  return text.replaceAll(INSPECTED_VALUE, `$1'${REDACTED}'$3`)
}

const WRAPPED = Symbol('heroku-actions.redacted')

/**
 * Filter the text this process writes, so that no path (a library's DEBUG
 * output, an unexpected stack trace) can print a credential. On stderr any
 * postgres URL's user info goes too; stdout carries the user's data, so only
 * the known secrets are touched there, and binary chunks (COPY data) pass as is.
 * Idempotent: a stream whose write is already ours is left alone.
 */
export function installRedaction(): void {
  wrap(process.stderr, redact)
  wrap(process.stdout, redactSecrets)
}

function redactSecrets(text: string): string {
  let out = text
  // every line of output comes through here: look before copying (a table of 1,000,000 rows
  // spent 1.5 s and a copy of each line per secret in split and join)
  for (const secret of secrets) if (out.includes(secret)) out = out.replaceAll(secret, REDACTED)
  return out
}

type Write = ((...args: unknown[]) => boolean) & {[WRAPPED]?: true}

function wrap(stream: NodeJS.WriteStream, filter: (text: string) => string): void {
  if ((stream.write as Write)[WRAPPED]) return
  const write = stream.write.bind(stream) as Write
  const filtered: Write = (chunk: unknown, ...rest: unknown[]) => write(typeof chunk === 'string' ? filter(chunk) : chunk, ...rest)
  filtered[WRAPPED] = true
  stream.write = filtered as typeof stream.write
}
