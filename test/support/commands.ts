import path from 'node:path'

import {ROOT} from './run.js'
import {APP} from './world.js'

/**
 * Every command of the plugin, once, for the suites that go through all of
 * them (test/reliability: secrets, hostile input, faults). A new command
 * joins with one line in COMMANDS; test/reliability/every-command.test.ts
 * fails until it has.
 */

/** The rows every case starts from (appWithActions). */
export const SAMPLE: Array<[string, string, boolean]> = [['deploy', '/api/deploy', false], ['backup', '/api/backup', true], ['restore', '/api/restore', false]]

/** Where a value typed by the user ends up. */
export type Slot
  /** written into this column of the row the command changes (update: id 1; add: the new row) */
  = | {argv: (value: string) => string[]; filters: 'action' | 'path'; ids?: (stdout: string) => number[]}
  /** a list filter on this column: exact for action, a prefix for path; `ids` reads the ids from stdout (a JSON array by default) */
    | {argv: (value: string) => string[]; id: true}
  /** an action id: anything but a positive whole number is refused */
    | {argv: (value: string) => string[]; refused: true}
  /** must match something exactly (e.g. --confirm APP): anything else is refused */
    | {argv: (value: string) => string[]; stores: 'action' | 'path'}

export interface CommandCase {
  /** false when the plugin does not connect itself but hands the credentials on (actions:run) */
  connects?: false
  /** argv that reads the file at `file`, for commands that take one (import, run --file) */
  file?: (file: string) => string[]
  /** argv that succeeds on appWithActions(SAMPLE), --app added by withApp */
  ok: string[]
  /** each place a user-given text goes, besides --app and --database */
  slots?: Record<string, Slot>
  /** whether `ok` needs the actions table (and fails without it) */
  table: boolean
  /** whether `ok` changes the actions table */
  writes: boolean
}

/** 2,000 rows without ids: importing it again adds them again (the fault sweep repeats it) */
const IMPORT_FILE = path.join(ROOT, 'test/fixtures/import.csv')
/** on SAMPLE: changes deploy, keeps backup, adds lint; with --prune removes restore */
const APPLY_FILE = path.join(ROOT, 'test/fixtures/apply.csv')
function ndjsonIds(stdout: string): number[] {
  return stdout.split('\n').filter(Boolean).map(line => (JSON.parse(line) as {id: number}).id)
}

export const COMMANDS: Record<string, CommandCase> = {
  'actions:add': {
    ok: ['actions:add', 'deploy', '/api/deploy'], slots: {action: {argv: v => ['actions:add', v, '/p'], stores: 'action'}, path: {argv: v => ['actions:add', 'a', v], stores: 'path'}}, table: true, writes: true,
  },
  'actions:apply': {
    file: f => ['actions:apply', f, '--format', 'csv'], ok: ['actions:apply', APPLY_FILE, '--prune', '--confirm', APP], slots: {confirm: {argv: v => ['actions:apply', APPLY_FILE, '--prune', '--confirm', v], refused: true}}, table: true, writes: true,
  },
  'actions:done': {
    ok: ['actions:done', '1', '3'], slots: {id: {argv: v => ['actions:done', '1', v], id: true}}, table: true, writes: true,
  },
  'actions:export': {
    ok: ['actions:export'], slots: {action: {argv: v => ['actions:export', '--format', 'ndjson', '--action', v], filters: 'action', ids: ndjsonIds}, path: {argv: v => ['actions:export', '--format', 'ndjson', '--path', v], filters: 'path', ids: ndjsonIds}}, table: true, writes: false,
  },
  'actions:import': {
    file: f => ['actions:import', f, '--format', 'csv'], ok: ['actions:import', IMPORT_FILE], table: true, writes: true,
  },
  'actions:info': {ok: ['actions:info', '--json'], table: false, writes: false},
  'actions:init': {ok: ['actions:init'], table: false, writes: true},
  'actions:list': {
    ok: ['actions:list', '--json'], slots: {action: {argv: v => ['actions:list', '--json', '--action', v], filters: 'action'}, path: {argv: v => ['actions:list', '--json', '--path', v], filters: 'path'}}, table: true, writes: false,
  },
  'actions:remove': {
    ok: ['actions:remove', '2', '--confirm', APP], slots: {confirm: {argv: v => ['actions:remove', '1', '--confirm', v], refused: true}, id: {argv: v => ['actions:remove', v, '--confirm', APP], id: true}}, table: true, writes: true,
  },
  'actions:run': {
    connects: false, ok: ['actions:run', '--', process.execPath, '-e', 'process.exit(0)'], table: false, writes: false,
  },
  'actions:sql': {
    file: f => ['actions:sql', '--file', f], ok: ['actions:sql', "UPDATE actions SET status = true WHERE id = 1; DELETE FROM actions WHERE id = 2; INSERT INTO actions (action, path) VALUES ('sql', '/sql')"], table: true, writes: true,
  },
  'actions:update': {
    ok: ['actions:update', '1', '--path', '/v2/deploy', '--done'], slots: {action: {argv: v => ['actions:update', '1', '--action', v], stores: 'action'}, id: {argv: v => ['actions:update', v, '--done'], id: true}, path: {argv: v => ['actions:update', '1', '--path', v], stores: 'path'}}, table: true, writes: true,
  },
  'actions:wait': {
    ok: ['actions:wait', '2'], slots: {id: {argv: v => ['actions:wait', '2', v], id: true}}, table: true, writes: false,
  },
  'actions:watch': {ok: ['actions:watch', '--stop-after', '200ms'], table: true, writes: false},
}

/** argv with more flags, before a `--` that ends the command's own (actions:run). */
export function withFlags(argv: string[], ...flags: string[]): string[] {
  const end = argv.indexOf('--')
  return end === -1 ? [...argv, ...flags] : [...argv.slice(0, end), ...flags, ...argv.slice(end)]
}

export function withApp(argv: string[], app = APP): string[] {
  return withFlags(argv, '--app', app)
}
