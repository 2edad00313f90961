// Preload (NODE_OPTIONS=--import) for bench/startup.ts: turns off oclif's
// TypeScript lookup for linked plugins (@oclif/core lib/config/ts-path.js,
// `settings.enableAutoTranspile`), to measure what that lookup costs. Only the
// code that starts the CLI can set it; the Heroku CLI does not.
globalThis.oclif = {...globalThis.oclif, enableAutoTranspile: false}
