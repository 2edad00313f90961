import {ActionsCommand} from '../../base-command.js'
import {
  checkStatementTimeout, prepareScript, psqlCommand, runScript,
} from '../../lib/db/script-runner.js'
import {Args, Flags} from '../../lib/oclif.js'
import {terminalColumns} from '../../lib/output/cells.js'
import {printable} from '../../lib/output/printable.js'
import {JsonResults, TextResults} from '../../lib/output/statement-results.js'
import {StreamWriter, untilReaderLeaves, writeAfterChange} from '../../lib/output/write.js'
import {interruptible} from '../../lib/signals.js'
import {readScript} from '../../lib/sql/source.js'

export default class ActionsSql extends ActionsCommand {
  static args = {
    // stdin is read by readScript, which refuses what is not UTF-8; oclif would
    // take it for this argument, as text, and then --file - looks like both
    sql: Args.string({description: 'SQL to run: one statement, or several separated by semicolons', ignoreStdin: true}),
  }
  static description = `run SQL statements in one transaction: all of them take effect, or none
The SQL comes from the argument, --file, or stdin. Each result set is printed as a table (or with --json) as its rows arrive, every other statement as its command tag (INSERT 0 3); RAISE NOTICE and warnings go to stderr. An error names the statement, its line and column, and nothing is committed. Ctrl-C cancels the running statement on the server and rolls back. BEGIN/COMMIT, COPY ... STDIN and psql meta-commands are refused: run those with actions:run -- psql.`
  static examples = [
    '<%= config.bin %> <%= command.id %> "SELECT version()" --app example-app',
    '<%= config.bin %> <%= command.id %> --file setup.sql --app example-app --dry-run',
    '<%= config.bin %> <%= command.id %> --app example-app --statement-timeout 30s --json < report.sql',
  ]
  static flags = {
    ...ActionsCommand.databaseFlags,
    'dry-run': Flags.boolean({description: 'run everything and show the results, then roll back (sequences still advance)'}),
    file: Flags.string({char: 'f', description: 'read the SQL from this file (- for stdin)', helpValue: 'FILE'}),
    json: ActionsCommand.jsonFlag,
    'statement-timeout': Flags.string({
      description: 'cancel any statement that runs longer; with a unit: 500ms, 30s, 5min, 1h', helpValue: 'DURATION', parse: async value => checkStatementTimeout(value),
    }),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ActionsSql)
    const psql = psqlCommand(this.targetFlag(flags))
    const script = prepareScript(await readScript(args.sql, flags.file), psql)
    const out = new StreamWriter()
    const json = flags.json ? new JsonResults(out) : undefined
    const options = {
      dryRun: flags['dry-run'],
      notice: (line: string) => this.logToStderr(printable(line)),
      psql,
      sink: json ?? new TextResults(out, terminalColumns()),
      statementTimeout: flags['statement-timeout'],
      values: json ? 'json' as const : 'text' as const,
    }
    await this.withDatabase(flags, db => interruptible(signal => runScript(db, script, {...options, signal})), {pipeline: true})
    json?.close()
    await (flags['dry-run'] ? untilReaderLeaves(() => out.end()) : writeAfterChange('the statements were committed', () => out.end()))
    if (flags['dry-run']) this.logToStderr('Rolled back (--dry-run): nothing was changed.')
  }
}
