import {ActionsCommand} from '../../base-command.js'
import {waitUntilDone} from '../../lib/actions/feed/wait.js'
import {parseIds} from '../../lib/actions/validate.js'
import {Args} from '../../lib/oclif.js'
import {toRecord} from '../../lib/output/record.js'

export default class ActionsWait extends ActionsCommand {
  static args = {
    id: Args.string({description: 'ids of the actions to wait for (one or more)', required: true}),
  }
  static description = `wait until actions are done (status true), for a script to go on when the web app has acted
Driven by the change feed, not by polling: it returns within a second of the commit that marks the last one done, whoever makes it. Exits 0 when all are done (printing them, --json as list prints them); 1 on timeout, naming the ids still pending, or when an action does not exist or is removed meanwhile; 130 on Ctrl-C. The actions are never changed. Reconnects, like actions:watch, if the connection drops.`
  static examples = [
    '<%= config.bin %> <%= command.id %> 12 --app example-app',
    '<%= config.bin %> <%= command.id %> 12 13 --app example-app --timeout 30m --json',
  ]
  static flags = {
    ...ActionsCommand.databaseFlags,
    json: ActionsCommand.jsonFlag,
    timeout: ActionsCommand.timeoutFlag,
  }
  static strict = false

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ActionsWait)
    const rows = await waitUntilDone(this.feedTarget(flags), parseIds(argv as string[]), flags.timeout)
    await this.printRows(flags, rows.map(row => toRecord(row)))
  }
}
