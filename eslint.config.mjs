import oclif from 'eslint-config-oclif'

export default [
  {
    ignores: ['dist/**', 'bench/tmp/**', '.tmp/**', 'examples/**'],
  },
  ...oclif,
  {
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      // a message or help text stays whole on its line, so that grep finds what a user saw; code wraps at 200
      '@stylistic/max-len': ['error', {code: 200, ignoreRegExpLiterals: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true}],
      // eslint-config-xo's space preset leaves this rule on tabs; everything else here is 2 spaces
      '@stylistic/indent-binary-ops': ['error', 2],
      // snake_case names are PostgreSQL's columns and settings and the Platform API's fields, spelled as they are there
      camelcase: ['error', {ignoreDestructuring: true, properties: 'never'}],
      // file modes and UTF-8 lead bytes are bit masks; arithmetic in their place would hide what they test
      'no-bitwise': 'off',
      // terminal control characters are what the output sanitizer and its tests look for
      'no-control-regex': 'off',
      // one step at a time is the design (transactions, migrations, retries, polling), not an accident to parallelise
      'no-await-in-loop': 'off',
      // tsc checks undefined names with the types' knowledge (typescript-eslint advises this rule off for TypeScript)
      'no-undef': 'off',
      // it flags arrows that use the method's `this` (which cannot move out), and a one-line helper reads best beside its one use
      'unicorn/consistent-function-scoping': 'off',
      // as jsdoc/require-returns, which eslint-config-oclif turns off: the generator's type says what it yields
      'jsdoc/require-yields': 'off',
      // `void promise` as a statement marks a promise left running on purpose
      'no-void': ['error', {allowAsStatement: true}],
      // available without a flag in Node 20, the engines floor, though the rule still counts them experimental
      'n/no-unsupported-features/node-builtins': ['error', {ignores: ['fetch', 'AbortSignal.any', 'fs/promises.cp', 'readline/promises', 'module.register']}],
    },
    settings: {
      // describe() once per target (remote and --local): its hooks are inside a suite
      mocha: {additionalCustomNames: [{interfaces: ['BDD'], name: 'forEachTarget', type: 'suite'}]},
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // mocha callbacks are `function () {}` so that this.timeout() and this.skip() stay reachable
      'prefer-arrow-callback': 'off',
      // a file may hold a few related suites side by side; nesting them only lengthens every title
      'mocha/max-top-level-suites': 'off',
    },
  },
  {
    files: ['bench/**/*.ts'],
    rules: {
      // benchmarks are scripts run by hand: exiting with a child's status is how they report failure
      'n/no-process-exit': 'off',
      'unicorn/no-process-exit': 'off',
    },
  },
  {
    files: ['test/support/**/*.ts'],
    ignores: ['test/support/**/*.test.ts'],
    rules: {
      // helpers for the test files: they export, and their hooks join the suite that calls them (useTempDir, useBrowser)
      'mocha/no-exports': 'off',
      'mocha/no-top-level-hooks': 'off',
    },
  },
]
