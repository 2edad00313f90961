/**
 * What bin/run.js runs: oclif's command runner, taken from the build
 * (scripts/bundle.mjs) so that the runner and the commands share one copy of
 * oclif, read from a few bundled files instead of about 110 of its own.
 */
export {execute} from '@oclif/core/execute'
