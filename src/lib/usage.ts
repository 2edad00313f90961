const MORE_HELP = /\s*See more help with --help\s*$/

const NO_VALUE = /^Flag (--[\w-]+) expects a value$/

/** oclif's errors about the command line (unknown flag, bad value, flags that exclude each other) end by pointing at --help, but for a flag given no value. */
export function isUsageError(message: string): boolean {
  return MORE_HELP.test(message) || NO_VALUE.test(message)
}

/**
 * oclif's message for a command line it refused, on one line that says what
 * to type: `--json and --csv cannot be used together: pick one` instead of
 * two mirror-image lines with `--csv=true`, and a flag's own value error
 * without the flag named twice.
 */
export function usageLine(message: string): string {
  const lines = message.replace(MORE_HELP, '').split('\n').map(line => line.trim()).filter(Boolean)
  const reasons = /^The following errors? occurred:$/.test(lines[0]) ? lines.slice(1) : lines
  const first = reasons.join(' ')
  const exclusive = /^(--[\w-]+)(?:=\S*)? cannot also be provided when using (--[\w-]+)/.exec(reasons[0] ?? '')
  if (exclusive) return `${exclusive[1]} and ${exclusive[2]} cannot be used together: pick one`
  const parsing = /^Parsing (--[\w-]+)\s*(.*)$/.exec(first)
  if (parsing) return parsing[2].startsWith(parsing[1]) ? parsing[2] : `${parsing[1]}: ${parsing[2].charAt(0).toLowerCase()}${parsing[2].slice(1)}`
  const unknown = /^Nonexistent flags?: (.*)$/.exec(first)
  if (unknown) return `unknown flag ${unknown[1]}: see --help for this command's flags`
  const empty = NO_VALUE.exec(first)
  if (empty) return `${empty[1]} needs a value after it: see --help for what it takes`
  const extra = /^Unexpected arguments?: (.*)$/.exec(first)
  if (extra) return `unexpected argument ${extra[1]}: quote a value that has spaces, or see --help for the arguments this command takes`
  return first
}
