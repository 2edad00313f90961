import {ActionsCommand} from '../../base-command.js'
import {clientEnvironment} from '../../lib/db/client-environment.js'
import {UserError} from '../../lib/errors.js'
import {splitCommandLine} from '../../lib/process/command-line.js'
import {runChild} from '../../lib/process/run-child.js'

export default class ActionsRun extends ActionsCommand {
  static description = `run a command with the app's current database credentials in its environment
The Platform API is asked for the URL right before the command starts, so it never gets credentials rotated away. It gets DATABASE_URL (postgresql://, no parameters) and PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE and PGSSLMODE=require, which psql, psycopg2, SQLAlchemy and node-postgres read (a Node program passes ssl: {rejectUnauthorized: false}; see the README). Everything after -- reaches the command exactly as typed, in order, even arguments that look like this command's flags. stdin, stdout, stderr and the exit code are the command's own; signals are passed on. Nothing is written to disk.`
  static examples = [
    '<%= config.bin %> <%= command.id %> --app example-app -- python script.py',
    '<%= config.bin %> <%= command.id %> --app example-app -- psql -c "SELECT version()"',
    '<%= config.bin %> <%= command.id %> --app example-app --database HEROKU_POSTGRESQL_RED -- node report.js --since 2024-01-01',
  ]
  static flags = {...ActionsCommand.databaseFlags}
  static strict = false
  static usage = '<%= command.id %> --app APP -- COMMAND [ARGS...]'

  async run(): Promise<void> {
    const {own, program: [command, ...args]} = splitCommandLine(this.argv, {...ActionsRun.baseFlags, ...ActionsRun.flags})
    const {argv: unknown, flags} = await this.parse(ActionsRun, own)
    if (unknown.length > 0) throw new UserError(`unknown flag ${unknown[0]}: put the command and its arguments after --`, {exit: 2})
    if (!command) throw new UserError(`no command given: put it after --, e.g. heroku actions:run ${this.targetFlag(flags)} -- psql`)
    const {url} = await this.locate(flags)
    const code = await runChild(command, args, clientEnvironment(url))
    if (code !== 0) this.exit(code)
  }
}
