import {ActionsCommand, PIPELINED} from '../../base-command.js'
import {Args} from '../../lib/oclif.js'

export default class ActionsDone extends ActionsCommand {
  static args = {
    id: Args.string({description: 'ids of the actions to mark done (one or more)', required: true}),
  }
  static description = `mark one or more actions done
All in one statement: if any id does not exist, none is changed.`
  static examples = ['<%= config.bin %> <%= command.id %> 1 2 3 --app example-app']
  static flags = {...ActionsCommand.databaseFlags, json: ActionsCommand.jsonFlag}
  static strict = false

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ActionsDone)
    const rows = await this.withActions(flags, actions => actions.markDone(argv as string[]), PIPELINED)
    await this.printChange(flags, rows, what => `marked ${what} done`)
  }
}
