/**
 * Everything the plugin takes from the Heroku CLI libraries, in one place.
 *
 * `npm run build` replaces the compiled file with a single esbuild bundle of
 * this module and both libraries (scripts/bundle-heroku.mjs): loaded
 * unbundled, @heroku-cli/command brings in @sentry/node and execa at start-up
 * (about 500 ms) for a credential-store error report and a gpg-encrypted
 * netrc. Under `heroku plugins:link` the CLI runs this source file as it is.
 */
export {
  APIClient, Command, flags, HerokuAPIError, vars,
} from '@heroku-cli/command'
export {DatabaseResolver} from '@heroku/heroku-cli-util/utils/pg'
