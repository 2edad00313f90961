import {flags} from './heroku-cli.js'

type HelpDefault = (context: {flags: Record<string, string>}) => Promise<string | undefined>

/**
 * heroku's --app flag (default: HEROKU_APP, or the app of the git remote),
 * minus two shells per command. oclif asks every flag for its help default
 * while parsing, and this flag answers by running `git config heroku.remote`
 * and `git remote -v`, even when --app was given: then the answer is the app given.
 */
export function appFlag() {
  const flag = flags.app()
  const original = flag.defaultHelp as HelpDefault | undefined
  if (typeof original !== 'function') return flag
  const defaultHelp: HelpDefault = async context => context.flags.app ?? original(context)
  return Object.assign(flag, {defaultHelp})
}
