/**
 * The parts of @oclif/core the plugin uses, each from its own entry point.
 * `import ... from '@oclif/core'` loads every part of it, and semver (about
 * 50 files) for a Node version check, on every command: about 25 ms of a
 * 0.5 s start (issue 12).
 */
export * as Args from '@oclif/core/args'
export * as Errors from '@oclif/core/errors'
export * as Flags from '@oclif/core/flags'
export {ux} from '@oclif/core/ux'
