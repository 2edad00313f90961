import type {Action} from './lib/actions/action.js'
import type {FeedTarget} from './lib/actions/feed/follow.js'
import type {ResolvedDatabase} from './lib/heroku/resolve-database.js'
import type {LocalDatabase, LocalLease} from './lib/local/local-database.js'

import {ActionsRepository} from './lib/actions/repository.js'
import {connectFresh} from './lib/db/connect-fresh.js'
import {type ConnectOptions, Database, loadDriver} from './lib/db/database.js'
import {isStatementError, statementError} from './lib/db/pg-errors.js'
import {installRedaction, redact} from './lib/db/redact.js'
import {parseDuration} from './lib/duration.js'
import {
  errorMessage, showDiagnosis, USER_ERROR, UserError, userErrorStatus,
} from './lib/errors.js'
import {appFlag} from './lib/heroku/app-flag.js'
import {Command, flags as herokuFlags} from './lib/heroku/heroku-cli.js'
import {resolveDatabase} from './lib/heroku/resolve-database.js'
import {localDataDir} from './lib/local/layout.js'
import {Errors, Flags, ux} from './lib/oclif.js'
import {printable} from './lib/output/printable.js'
import {type ActionRecord, type Format, toRecord} from './lib/output/record.js'
import {stdoutRenderer} from './lib/output/renderer.js'
import {guardOutput, writeAfterChange, writeOut} from './lib/output/write.js'
import {isUsageError, usageLine} from './lib/usage.js'

/**
 * For commands that send plain statements (no COPY, which pg refuses on a
 * pipelined connection): statements issued together leave together, one
 * round trip for all.
 */
export const PIPELINED: ConnectOptions = {pipeline: true}

export interface DatabaseFlags {
  app?: string
  database?: string
  local?: boolean
  remote?: string
}

export interface FormatFlags {
  csv?: boolean
  json?: boolean
}

/** Where the rows live, for messages: never the URL. */
export interface Target {
  initCommand: string
  label: string
  /** what a destructive command asks to be typed back: the app, or `local` */
  name: string
  resolved?: ResolvedDatabase
}

/**
 * What every actions:* command shares: the flags that pick a database, and
 * "resolve, connect, run, always close" with errors a user can act on.
 */
export abstract class ActionsCommand extends Command {
  static baseFlags = Command.baseFlagsWithoutPrompt()
  static databaseFlags = {
    app: appFlag(),
    database: Flags.string({
      description: 'attachment or config var of the database (default DATABASE_URL); also OTHER_APP::DATABASE',
      helpValue: 'DATABASE',
    }),
    local: Flags.boolean({
      description: 'use the plugin\'s own PostgreSQL database on this machine (see actions:local:start) instead of an app\'s',
      // not app: HEROKU_APP in the environment must not stop --local (see locate)
      exclusive: ['database', 'remote'],
    }),
    remote: herokuFlags.remote(),
  }
  /** which rows: actions:list and actions:export take the same */
  static filterFlags = {
    action: Flags.string({description: 'only actions with exactly this action'}),
    limit: Flags.integer({description: 'at most this many rows', min: 1}),
    path: Flags.string({description: 'only actions whose path starts with this'}),
    status: Flags.option({description: 'only pending or only done actions', options: ['pending', 'done'] as const})(),
  }
  static formatFlags = {
    csv: Flags.boolean({description: 'print CSV', exclusive: ['json']}),
    json: Flags.boolean({description: 'print JSON', exclusive: ['csv']}),
  }
  static jsonFlag = Flags.boolean({description: 'print JSON'})
  /** how long actions:wait and add --wait wait (no oclif default: add's would then always count as given, and need --wait) */
  static timeoutFlag = Flags.custom<number>({
    description: 'give up after this long: 30s, 10m, 1h (default 10m)',
    helpValue: 'DURATION',
    parse: async value => parseDuration('timeout', value),
  })()
  protected target: Target | undefined
  private localLease: LocalLease | undefined

  override async catch(error: Error & {oclif?: {exit?: number}}): Promise<unknown> {
    showDiagnosis(error)
    // a refused command line (a flag's own check too): one line, exit 2 (as oclif and
    // heroku exit); a missing argument keeps oclif's usage after it, which shows what is missing
    if (isUsageError(error.message) && !/^Missing \d+ required arg/.test(error.message)) this.fail(usageLine(error.message), 2, USER_ERROR)
    if (error instanceof UserError) this.fail(error.message, error.exit, userErrorStatus(error))
    if (isStatementError(error)) this.fail(statementError(error, this.initCommand()).message, 1, USER_ERROR)
    // this.exit(code): the code only. Installed or linked, the Heroku CLI runs its own copy of oclif,
    // which does not know this ExitError and would print "Error: EEXIT: 3"; this tells it not to
    if (error instanceof Errors.ExitError) throw Object.assign(error, {skipOclifErrorHandling: true})
    if (error instanceof Errors.CLIError || error.oclif?.exit !== undefined) {
      error.message = redact(error.message)
      if (error.stack) error.stack = redact(error.stack)
      throw error
    }

    this.fail(errorMessage(error), 1)
  }

  /** The database the flags pick, for following its change feed (lib/actions/feed): resolved anew on each reconnection. */
  protected feedTarget(flags: DatabaseFlags): FeedTarget {
    return {
      initCommand: () => this.initCommand(),
      label: () => this.target?.label ?? 'the database',
      notice: line => this.logToStderr(line),
      open: () => this.openDatabase(flags, PIPELINED),
    }
  }

  /** Let the local server go (it stops when no other command uses it), whatever happened. */
  override async finally(error: Error | undefined): Promise<unknown> {
    const lease = this.localLease
    this.localLease = undefined
    await lease?.release().catch(error_ => this.logToStderr(`could not stop the local database: ${errorMessage(error_)}`))
    return super.finally(error)
  }

  protected format(flags: FormatFlags): Format {
    if (flags.json) return 'json'
    return flags.csv ? 'csv' : 'table'
  }

  override async init(): Promise<void> {
    installRedaction()
    guardOutput()
    await super.init()
  }

  protected initCommand(): string {
    return this.target?.initCommand ?? 'heroku actions:init -a APP'
  }

  /**
   * The plugin's own database (--local), kept in the user's data directory;
   * its code is loaded only then, not by every command that talks to an app.
   */
  protected async localDatabase(): Promise<LocalDatabase> {
    const {LocalDatabase} = await import('./lib/local/local-database.js')
    return new LocalDatabase(localDataDir(this.config.dataDir), {notice: line => this.logToStderr(line)})
  }

  /** Which database, and its URL: asked of the Platform API on every run, or the local server's. */
  protected async locate(flags: DatabaseFlags): Promise<{target: Target; url: string}> {
    if (flags.local) {
      if (this.argv.some(arg => /^(-a|--app)(=|$)/.test(arg))) throw new UserError('--app and --local cannot be used together: pick one', {exit: 2})
      this.target = {initCommand: 'heroku actions:init --local', label: 'the local database', name: 'local'}
      // held until the command ends (finally), however often the URL is asked for
      this.localLease ??= await this.step('Preparing the local database', async () => (await this.localDatabase()).acquire())
      return {target: this.target, url: this.localLease.url}
    }

    const {app} = flags
    if (!app) {
      throw new UserError('no app given: pass --app APP (or -a APP), or run this in a git repository with a heroku remote; --local uses the local database instead')
    }

    this.target = {initCommand: `heroku actions:init -a ${app}`, label: app, name: app}
    if (!(await this.heroku.getAuth())) {
      throw new UserError('not logged in to Heroku: run heroku login, or set HEROKU_API_KEY')
    }

    const resolved = await this.step(`Resolving ${flags.database ?? 'DATABASE_URL'} on ${app}`, () => resolveDatabase(this.heroku, app, flags.database))
    const label = `${resolved.attachment} on ${resolved.app}`
    return {target: {...this.target, label, resolved}, url: resolved.url}
  }

  /** A connection to the database, resolved now; the caller closes it. */
  protected async openDatabase(flags: DatabaseFlags, options: ConnectOptions & {waitMs?: number} = {}): Promise<Database> {
    const resolve = async () => {
      const located = this.locate(flags)
      // the Platform API requests are on their way: read pg while they are answered
      loadDriver().catch(() => {})
      const {target, url} = await located
      this.target = target
      return url
    }

    const connect = (url: string) => this.step(`Connecting to ${this.target?.label}`, () => Database.connect(url, options))
    return connectFresh(resolve, {connect, waitMs: options.waitMs})
  }

  /** Print the rows a change returned; `changed` says what was done ("added action 12") if printing fails. */
  protected async printChange(flags: {json?: boolean}, rows: Action[], changed: (what: string) => string): Promise<void> {
    const what = rows.length === 1 ? `action ${rows[0].id}` : `${rows.length} actions`
    await writeAfterChange(changed(what), () => this.printRows(flags, rows.map(row => toRecord(row))))
  }

  /** Rows as a table, or with --json as list --json prints them (--csv is list's, straight from the server). */
  protected async printRows(flags: {json?: boolean}, rows: ActionRecord[]): Promise<void> {
    const output = stdoutRenderer(flags.json ? 'json' : 'table')
    await writeOut(output.rows(rows) + output.end())
  }

  /** A spinner on stderr, only for a person watching a terminal. */
  protected async step<T>(message: string, fn: () => Promise<T>): Promise<T> {
    if (!process.stderr.isTTY) return fn()
    ux.action.start(message)
    try {
      const result = await fn()
      ux.action.stop()
      return result
    } catch (error) {
      ux.action.stop('failed')
      throw error
    }
  }

  /** How a hint names the database the user is on: `--local`, or `--app NAME` (APP when none was given). */
  protected targetFlag(flags: DatabaseFlags): string {
    return flags.local ? '--local' : `--app ${flags.app ?? 'APP'}`
  }

  protected async withActions<T>(flags: DatabaseFlags, fn: (actions: ActionsRepository, db: Database) => Promise<T>, options: ConnectOptions = {}): Promise<T> {
    return this.withDatabase(flags, db => fn(new ActionsRepository(db), db), options)
  }

  /**
   * Resolve the app's database now, connect over SSL, run `fn`, always close.
   * Rejected credentials are resolved again once (a rotation); `waitMs` waits
   * for a database that is not accepting connections yet.
   */
  protected async withDatabase<T>(flags: DatabaseFlags, fn: (db: Database, target: Target) => Promise<T>, options: ConnectOptions & {waitMs?: number} = {}): Promise<T> {
    const db = await this.openDatabase(flags, options)
    try {
      return await fn(db, this.target!)
    } finally {
      await db.close()
    }
  }

  /**
   * Print the error on ONE line, then exit. oclif would wrap it at 80 columns
   * whenever stderr is not a terminal, so a script or CI log would get half
   * a sentence per line.
   */
  private fail(message: string, exit: number, statusCode?: number): never {
    // messages may quote what the user typed: no terminal controls either
    const line = printable(redact(message).replaceAll(/\s*\n\s*/g, ' '))
    process.stderr.write(` \u203A   Error: ${line}\n`)
    // statusCode: what the Heroku CLI's finally hook reads to tell a user's
    // error (4xx) from a crash it reports; undefined for our own bugs
    const error = Object.assign(new Errors.CLIError(line, {exit}), {statusCode})
    error.skipOclifErrorHandling = true
    throw error
  }
}
