import {UserError} from '../errors.js'

// Heroku's rules for app names; an app may also be named by its id
const NAME = /^[a-z][\da-z-]*$/
const ID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i

/**
 * The app, checked before it goes into a Platform API path: the resolver of the
 * library `@heroku/heroku-cli-util` builds `/apps/${app}/...` without encoding, so an
 * --app of `../../account` would ask for another resource.
 */
export function checkAppName(app: string): string {
  if (NAME.test(app) || ID.test(app)) return app
  throw new UserError(`${JSON.stringify(app)} is not an app name: app names are lowercase letters, digits and dashes, starting with a letter (see heroku apps)`)
}
