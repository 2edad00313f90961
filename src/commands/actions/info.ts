import {ActionsCommand} from '../../base-command.js'
import {actionsSummary} from '../../lib/actions/summary.js'
import {serverInfo} from '../../lib/db/server-info.js'
import {Flags} from '../../lib/oclif.js'
import {type DatabaseInfo, infoAsJson, infoAsText} from '../../lib/output/info.js'
import {writeOut} from '../../lib/output/write.js'

export default class ActionsInfo extends ActionsCommand {
  static description = `check the connection to the database, and show what it holds
Shows the attachment and plan, the server version, the connection's TLS version and cipher, the round-trip latency, and the actions table: whether it exists, its schema version, and how many actions are pending and done. Exits 0 when the database can be reached, 1 with the reason when not; --wait waits for a database that is starting up or failing over.`
  static examples = [
    '<%= config.bin %> <%= command.id %> --app example-app',
    '<%= config.bin %> <%= command.id %> --app example-app --json',
    '<%= config.bin %> <%= command.id %> --app example-app --wait --wait-timeout 300',
  ]
  static flags = {
    ...ActionsCommand.databaseFlags,
    json: ActionsCommand.jsonFlag,
    wait: Flags.boolean({description: 'wait until the database accepts connections'}),
    'wait-timeout': Flags.integer({default: 120, description: 'give up waiting after this many seconds', min: 1}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ActionsInfo)
    const waitMs = flags.wait ? flags['wait-timeout'] * 1000 : undefined
    const info = await this.withDatabase(flags, async (db, target): Promise<DatabaseInfo> => {
      const {resolved} = target
      const addon = resolved && {
        app: resolved.app, attachment: resolved.attachment, name: resolved.addon, plan: resolved.plan,
      }
      return {
        actions: await actionsSummary(db), addon, label: target.label, server: await serverInfo(db),
      }
    }, {waitMs})
    await writeOut(flags.json ? infoAsJson(info) : infoAsText(info, this.initCommand()))
  }
}
