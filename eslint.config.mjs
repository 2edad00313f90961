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
      // eslint-config-xo's space preset leaves this rule on tabs; everything else here is 2 spaces
      '@stylistic/indent-binary-ops': ['error', 2],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // mocha callbacks are `function () {}` so that this.timeout() and this.skip() stay reachable
      'prefer-arrow-callback': 'off',
    },
  },
]
