import {ActionsCommand, PIPELINED} from '../../base-command.js'
import {Args, Flags} from '../../lib/oclif.js'

export default class ActionsUpdate extends ActionsCommand {
  static args = {
    id: Args.string({description: 'id of the action (see actions:list)', required: true}),
  }
  static description = 'change an action\'s action, path or status'
  static examples = [
    '<%= config.bin %> <%= command.id %> 3 --path /v2/deploy --pending --app example-app',
    '<%= config.bin %> <%= command.id %> 3 --action redeploy --app example-app',
  ]
  static flags = {
    ...ActionsCommand.databaseFlags,
    action: Flags.string({description: 'new action'}),
    done: Flags.boolean({description: 'mark it done', exclusive: ['pending']}),
    json: ActionsCommand.jsonFlag,
    path: Flags.string({description: 'new path'}),
    pending: Flags.boolean({description: 'mark it pending', exclusive: ['done']}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ActionsUpdate)
    const status = flags.done ? true : (flags.pending ? false : undefined)
    const row = await this.withActions(flags, actions => actions.update(args.id, {action: flags.action, path: flags.path, status}), PIPELINED)
    await this.printChange(flags, [row], what => `updated ${what}`)
  }
}
