/**
 * Everything the plugin takes from the Heroku CLI libraries, in one place.
 *
 * The build bundles them with the plugin (scripts/bundle.mjs); loaded
 * unbundled, @heroku-cli/command brings in @sentry/node and execa at start-up
 * (about 500 ms) for a credential-store error report and a gpg-encrypted
 * netrc, which in the bundle are stubs that load them on first call. The CLI
 * runs the build, linked or installed; this source file runs as it is only
 * under tsx (tests that import src/), where hux's barrel, ink and React,
 * costs about 1.3 s more.
 */
import {styledHeader, styledObject} from '@heroku/heroku-cli-util/hux'

export {
  APIClient, Command, flags, HerokuAPIError, vars,
} from '@heroku-cli/command'
export * as color from '@heroku/heroku-cli-util/color'
export {DatabaseResolver} from '@heroku/heroku-cli-util/utils/pg'

/** The hux functions the plugin uses, as heroku pg:info uses them; the bundle holds only these (HUX in scripts/bundle.mjs). */
export const hux = {styledHeader, styledObject}
