/**
 * The error message a subprocess printed, as one line: oclif prefixes it
 * with ` ›   Error: ` and wraps it at the terminal's width (80 columns when
 * there is no terminal), continuing with ` ›   `.
 */
export function errorLine(stderr: string): string {
  return stderr.replace(/^ › {3}Error: /, '').replaceAll(/ ?\n › {3}/g, ' ').replace(/\n$/, '')
}
