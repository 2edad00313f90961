// Replace dist/lib/heroku/heroku-cli.js (tsc's re-exports of @heroku-cli/command
// and @heroku/heroku-cli-util) by one ESM bundle of both libraries. Loaded as
// they are, they cost about 500 ms per command: @heroku-cli/command imports
// @sentry/node and OpenTelemetry at load time to report credential-store
// errors, and Node resolves and links a few hundred small files. In the
// bundle @sentry/node is a stub that loads the real one on first call.
// Both libraries are in the same bundle, so `instanceof HerokuAPIError` holds
// for errors thrown by the resolver; @oclif/core stays outside, so there is
// one oclif for the CLI, our commands and the Heroku base class.
//   node scripts/bundle-heroku.mjs   (npm run build runs it after tsc)
import {analyzeMetafile, build} from 'esbuild'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const OUT = path.join(ROOT, 'dist/lib/heroku/heroku-cli.js')

/**
 * Modules the libraries need only on rare paths, kept out of the bundle and
 * out of start-up: each is replaced by a stub whose functions load the real
 * module, as the library that asked for it would find it, on first call.
 * `exports` lists what the libraries use; esbuild fails the build if they
 * start using more. `sync`: the caller does not await the function.
 */
export const LAZY = {
  // reportCredentialStoreError (credential-manager-core/lib/cli-command-telemetry.js)
  '@sentry/node': {
    exports: {
      captureException: 'sync', flush: 'sync', getClient: 'sync', init: 'sync',
    }, owner: '@heroku-cli/command',
  },
  // a gpg-encrypted netrc (credential-manager-core/lib/netrc-parser.js); ESM only
  execa: {exports: {execa: 'async', execaSync: 'sync'}, owner: '@heroku-cli/command'},
  // the SSH tunnel to a Private Space bastion (utils/pg/bastion.js): tree-shaken today, as the plugin
  // refuses those databases; should it be reached, ssh2 and its native addon stay out of the bundle
  'tunnel-ssh': {exports: {createTunnel: 'sync'}, owner: '@heroku/heroku-cli-util'},
}

export function lazyStub(name, {exports, owner}) {
  const lines = [
    "import {createRequire} from 'node:module'",
    "import {pathToFileURL} from 'node:url'",
    `const owner = () => createRequire(createRequire(import.meta.url).resolve(${JSON.stringify(owner)}))`,
    'let real',
    `const load = () => (real ??= owner()(${JSON.stringify(name)}))`,
    `const loadAsync = async () => (real ??= await import(pathToFileURL(owner().resolve(${JSON.stringify(name)})).href))`,
  ]
  for (const [fn, mode] of Object.entries(exports)) {
    lines.push(mode === 'sync'
      ? `export const ${fn} = (...args) => load().${fn}(...args)`
      : `export const ${fn} = async (...args) => (await loadAsync()).${fn}(...args)`)
  }

  return lines.join('\n')
}

// @heroku/heroku-cli-util/hux is a barrel of every hux function, and some of
// them bring in @oclif/table, ink, React and inquirer (500 modules, 1.3 MB):
// the bundle takes only the ones the plugin uses, each from its own file, and
// the build fails when the plugin imports one not listed here.
export const HUX = {styledHeader: 'styled-header.js', styledObject: 'styled-object.js'}

function huxModule() {
  return Object.entries(HUX).map(([fn, file]) => `export {${fn}} from './${file}'`).join('\n')
}

// @heroku/http-call loads its dependencies with require(name) of a variable,
// which a bundler cannot follow: the same getters, with literal names.
const HTTP_CALL_DEPS = `
exports.deps = {
  get proxy() { return require('./proxy').default },
  get isStream() { return require('is-stream') },
  get contentType() { return require('content-type') },
  get http() { return require('node:http') },
  get https() { return require('node:https') },
}
`

/** @type {import('esbuild').Plugin} */
const replacements = {
  name: 'heroku-cli-replacements',
  setup(b) {
    const names = new RegExp(`^(${Object.keys(LAZY).map(name => name.replace('/', String.raw`\/`)).join('|')})$`)
    b.onResolve({filter: names}, ({path: name}) => ({namespace: 'lazy', path: name}))
    b.onLoad({filter: /.*/, namespace: 'lazy'}, ({path: name}) => ({contents: lazyStub(name, LAZY[name]), loader: 'js', resolveDir: ROOT}))
    b.onLoad({filter: /[/\\]@heroku[/\\]http-call[/\\]lib[/\\]deps\.js$/}, () => ({contents: HTTP_CALL_DEPS, loader: 'js'}))
    b.onResolve({filter: /^@heroku\/heroku-cli-util\/hux$/}, () => ({namespace: 'hux', path: 'hux'}))
    b.onLoad({filter: /.*/, namespace: 'hux'}, () => ({
      contents: huxModule(), loader: 'js', resolveDir: path.join(path.dirname(createRequire(import.meta.url).resolve('@heroku/heroku-cli-util')), 'ux'),
    }))
  },
}

export async function bundle() {
  const result = await build({
    // CommonJS code inside the bundle (debug, http-call) requires Node's modules
    banner: {js: "import {createRequire as __bundleCreateRequire} from 'node:module'; const require = __bundleCreateRequire(import.meta.url);"},
    bundle: true,
    // what the libraries load with import() only when it is needed (inquirer
    // for a prompt, open for a browser login, yargs-parser for deprecated
    // flags: together more than 1 MB) goes to chunk files beside the bundle,
    // read on first use: Node parses the whole bundle at every start
    chunkNames: 'heroku-cli-[hash]',
    entryNames: '[name]',
    entryPoints: [path.join(ROOT, 'src/lib/heroku/heroku-cli.ts')],
    external: ['@oclif/core', '@oclif/core/*'],
    format: 'esm',
    legalComments: 'inline',
    logLevel: 'warning',
    // a name the libraries import that the bundle (or a stub) does not have
    // would be undefined at run time: fail the build instead of warning
    logOverride: {'import-is-undefined': 'error'},
    metafile: true,
    outdir: path.dirname(OUT),
    platform: 'node',
    plugins: [replacements],
    // a stack trace through the bundle points at the libraries' own files
    sourcemap: true,
    splitting: true,
    target: 'node20',
  })

  // BUNDLE_ANALYZE=1 npm run build: what the bundle is made of, by size
  if (process.env.BUNDLE_ANALYZE) console.log(await analyzeMetafile(result.metafile))
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bundle()
