import {Args, Flags} from '@oclif/core'

import {ActionsCommand} from '../../base-command.js'

export default class ActionsAdd extends ActionsCommand {
  static args = {
    action: Args.string({description: 'what to do (at most 255 characters)', required: true}),
    path: Args.string({description: 'where to do it (at most 255 characters)', required: true}),
  }

  static description = 'add an action, pending unless --done'
  static examples = [
    '<%= config.bin %> <%= command.id %> deploy /api/deploy --app example-app',
    '<%= config.bin %> <%= command.id %> backup /api/backup --done --app example-app --json',
  ]

  static flags = {
    ...ActionsCommand.databaseFlags,
    done: Flags.boolean({description: 'record it as already done'}),
    json: ActionsCommand.jsonFlag,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ActionsAdd)
    const row = await this.withActions(flags, actions => actions.add({action: args.action, done: flags.done, path: args.path}))
    await this.printChange(flags, [row], what => `added ${what}`)
  }
}
