/** What the splitter needs to know of a flag: its one-letter form, and whether a value follows it. */
export interface FlagShape {
  char?: string
  type: 'boolean' | 'option'
}

export interface CommandLine {
  /** the plugin's own flags, for oclif to parse */
  own: string[]
  /** the program and its arguments, exactly as typed */
  program: string[]
}

/** Whether `token` is a flag of ours that takes its value from the next token (`--app X`, `-a X`, not `--app=X` or `-aX`). */
function takesNext(token: string, flags: Record<string, FlagShape>): boolean {
  if (token.startsWith('--')) return !token.includes('=') && flags[token.slice(2)]?.type === 'option'
  if (token.length !== 2) return false
  return Object.values(flags).some(flag => flag.char === token[1] && flag.type === 'option')
}

/**
 * Split `actions:run`'s argv into our flags and the program to run: the
 * program starts after the first `--`, or else at the first argument that is
 * not one of our flags or its value. Its arguments are never parsed: oclif
 * sorts a non-strict command's argv by first occurrence (so `-c a -c b`
 * arrived as `-c -c a b`) and takes `-a` after the program for its own, as
 * heroku run once did too (heroku/cli#2976, #2999, #3633).
 */
export function splitCommandLine(argv: string[], flags: Record<string, FlagShape>): CommandLine {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]
    if (token === '--') return {own: argv.slice(0, i), program: argv.slice(i + 1)}
    if (!token.startsWith('-') || token === '-') return {own: argv.slice(0, i), program: argv.slice(i)}
    if (takesNext(token, flags)) i++
  }

  return {own: argv, program: []}
}
