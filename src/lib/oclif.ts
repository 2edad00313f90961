/**
 * The parts of @oclif/core the plugin uses, in one place. They come from
 * their own entry points, which kept oclif's index (every part of it, and
 * semver) out of start-up before the plugin was bundled; the Heroku base
 * class imports the index, so the bundle holds it either way now.
 */
export * as Args from '@oclif/core/args'
export * as Errors from '@oclif/core/errors'
export * as Flags from '@oclif/core/flags'
export {ux} from '@oclif/core/ux'
