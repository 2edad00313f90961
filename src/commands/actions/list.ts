import {Flags} from '@oclif/core'

import {toRecord} from '../../lib/output/record.js'
import {renderer} from '../../lib/output/renderer.js'
import {writeOut} from '../../lib/output/write.js'
import {ActionsCommand} from '../../base-command.js'

export default class ActionsList extends ActionsCommand {
  static description = `list actions, oldest first
Rows are streamed from the database, so even a very large table prints in constant memory. --json prints an array of objects with id, action, path, status (true when done), created_at and updated_at.`

  static examples = [
    '<%= config.bin %> <%= command.id %> --app example-app',
    '<%= config.bin %> <%= command.id %> --app example-app --status pending --path /api/',
    '<%= config.bin %> <%= command.id %> --app example-app --json --limit 10',
  ]

  static flags = {
    ...ActionsCommand.databaseFlags,
    ...ActionsCommand.formatFlags,
    action: Flags.string({description: 'only actions with exactly this action'}),
    limit: Flags.integer({description: 'at most this many rows', min: 1}),
    path: Flags.string({description: 'only actions whose path starts with this'}),
    status: Flags.option({description: 'only pending or only done actions', options: ['pending', 'done'] as const})(),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ActionsList)
    const output = renderer(this.format(flags), {color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR})
    let count = 0
    await this.withActions(flags, actions => actions.list(flags, async rows => {
      count += rows.length
      await writeOut(output.rows(rows.map(row => toRecord(row))))
    }))
    await writeOut(output.end())
    if (count === 0 && this.format(flags) === 'table') this.logToStderr('No actions found.')
  }
}
