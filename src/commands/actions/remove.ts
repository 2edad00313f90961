import {ActionsCommand, PIPELINED} from '../../base-command.js'
import {Args, Flags} from '../../lib/oclif.js'
import {confirmName} from '../../lib/prompt/confirm.js'

export default class ActionsRemove extends ActionsCommand {
  static args = {
    id: Args.string({description: 'ids of the actions to remove (one or more)', required: true}),
  }
  static description = `remove one or more actions for good
Destructive: asks for the app's name on a terminal, and needs --confirm APP otherwise. All in one statement: if any id does not exist, nothing is removed.`
  static examples = ['<%= config.bin %> <%= command.id %> 4 5 --app example-app --confirm example-app']
  static flags = {
    ...ActionsCommand.databaseFlags,
    confirm: Flags.string({description: 'the app\'s name (local with --local), to confirm without a prompt', helpValue: 'APP'}),
    json: ActionsCommand.jsonFlag,
  }
  static strict = false

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ActionsRemove)
    const rows = await this.withActions(flags, async (actions, _db) => {
      await confirmName(this.target!.resolved?.app ?? this.target!.name, flags.confirm, `Removing ${argv.length === 1 ? 'an action' : `${argv.length} actions`}`)
      return actions.remove(argv as string[])
    }, PIPELINED)
    await this.printChange(flags, rows, what => `removed ${what}`)
    this.logToStderr(`Removed ${rows.length === 1 ? '1 action' : `${rows.length} actions`}.`)
  }
}
