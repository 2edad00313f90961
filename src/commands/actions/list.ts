import {ActionsCommand, type FormatFlags, PIPELINED} from '../../base-command.js'
import {ListFilter} from '../../lib/actions/action.js'
import {toRecord} from '../../lib/output/record.js'
import {stdoutRenderer} from '../../lib/output/renderer.js'
import {untilReaderLeaves, writeOut} from '../../lib/output/write.js'

export default class ActionsList extends ActionsCommand {
  static description = `list actions in id order
Rows are streamed from the database, so even a very large table prints in constant memory. --json prints an array of objects with id, action, path, status (true when done), created_at and updated_at.`
  static examples = [
    '<%= config.bin %> <%= command.id %> --app example-app',
    '<%= config.bin %> <%= command.id %> --app example-app --status pending --path /api/',
    '<%= config.bin %> <%= command.id %> --app example-app --json --limit 10',
  ]
  static flags = {
    ...ActionsCommand.databaseFlags,
    ...ActionsCommand.formatFlags,
    ...ActionsCommand.filterFlags,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ActionsList)
    await untilReaderLeaves(() => (this.format(flags) === 'table' ? this.table(flags) : this.copy(flags)))
  }

  /** --json and --csv: the server writes the rows (COPY), as actions:export does */
  private async copy(flags: FormatFlags & ListFilter & Parameters<ActionsCommand['withActions']>[0]): Promise<void> {
    await this.withActions(flags, actions => actions.copy(flags, this.format(flags) === 'json' ? 'json' : 'csv', process.stdout))
  }

  private async table(flags: ListFilter & Parameters<ActionsCommand['withActions']>[0]): Promise<void> {
    const output = stdoutRenderer('table')
    let count = 0
    await this.withActions(flags, actions => actions.list(flags, async rows => {
      count += rows.length
      await writeOut(output.rows(rows.map(row => toRecord(row))))
    }), PIPELINED)
    if (count === 0) this.logToStderr('No actions found.')
  }
}
