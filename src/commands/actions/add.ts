import {ActionsCommand, PIPELINED} from '../../base-command.js'
import {waitUntilDone} from '../../lib/actions/feed/wait.js'
import {ActionsRepository} from '../../lib/actions/repository.js'
import {Args, Flags} from '../../lib/oclif.js'

export default class ActionsAdd extends ActionsCommand {
  static args = {
    action: Args.string({description: 'what to do (at most 255 characters)', required: true}),
    path: Args.string({description: 'where to do it (at most 255 characters)', required: true}),
  }
  static description = 'add an action, pending unless --done'
  static examples = [
    '<%= config.bin %> <%= command.id %> deploy /api/deploy --app example-app',
    '<%= config.bin %> <%= command.id %> backup /api/backup --done --app example-app --json',
    '<%= config.bin %> <%= command.id %> deploy /api/deploy --app example-app --wait --timeout 5m',
  ]
  static flags = {
    ...ActionsCommand.databaseFlags,
    done: Flags.boolean({description: 'record it as already done', exclusive: ['wait']}),
    json: ActionsCommand.jsonFlag,
    timeout: {...ActionsCommand.timeoutFlag, dependsOn: ['wait']},
    wait: Flags.boolean({description: 'then wait until it is done (by the web app, say), and print it as it is then'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ActionsAdd)
    const input = {action: args.action, done: flags.done, path: args.path}
    if (!flags.wait) {
      const row = await this.withActions(flags, actions => actions.add(input), PIPELINED)
      await this.printChange(flags, [row], what => `added ${what}`)
      return
    }

    // the same connection adds, then listens
    const db = await this.openDatabase(flags, PIPELINED)
    const row = await new ActionsRepository(db).add(input).catch(async error => {
      await db.close()
      throw error
    })
    this.logToStderr(`Added action ${row.id}.`)
    const rows = await waitUntilDone(this.feedTarget(flags), [row.id], flags.timeout, db)
    await this.printChange(flags, rows, what => `added ${what}`)
  }
}
