import {ActionsCommand} from '../../base-command.js'
import {follow} from '../../lib/actions/feed/follow.js'
import {watcher} from '../../lib/actions/feed/watch.js'
import {parseDuration} from '../../lib/duration.js'
import {Flags} from '../../lib/oclif.js'
import {changeJson, changeLine} from '../../lib/output/changes.js'
import {untilReaderLeaves, writeOut} from '../../lib/output/write.js'
import {interruptible} from '../../lib/signals.js'
import {withDeadline} from '../../lib/timers.js'

export default class ActionsWatch extends ActionsCommand {
  static description = `print each change to the actions table as it is committed, by anyone, until Ctrl-C
Follows the change feed (LISTEN heroku_actions; see "Live changes" in the README), so it sees changes made by this plugin, by psql, by the web app or any other client. When the connection drops (a restart, a failover, rotated credentials) it asks the Platform API for the URL again and reconnects, then prints what changed meanwhile: each change once, in commit order. --json prints one object per line with op (insert, update, delete), id, action, path, status and updated_at; a delete carries the row as it was. Needs the feed: run actions:init once.`
  static examples = [
    '<%= config.bin %> <%= command.id %> --app example-app',
    '<%= config.bin %> <%= command.id %> --app example-app --json | jq .',
    '<%= config.bin %> <%= command.id %> --local --stop-after 10m',
  ]
  static flags = {
    ...ActionsCommand.databaseFlags,
    json: ActionsCommand.jsonFlag,
    'stop-after': Flags.custom<number>({
      description: 'stop watching after this long, with exit 0: 30s, 10m, 1h', helpValue: 'DURATION', parse: async value => parseDuration('stop-after', value),
    })(),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ActionsWatch)
    const format = flags.json ? changeJson : changeLine
    const target = this.feedTarget(flags)
    const subscriber = watcher(target, {
      listening: () => this.logToStderr(`Watching the actions table on ${this.target?.label}: Ctrl-C to stop.`),
      show: changes => writeOut(changes.map(change => `${format(change)}\n`).join('')),
    })
    // Ctrl-C is how a watch ends: exit 0; so does a reader that goes away (| head)
    const stop = flags['stop-after']
    await untilReaderLeaves(() => interruptible(signal => (stop ? withDeadline(signal, stop, both => follow(target, subscriber, both)) : follow(target, subscriber, signal))))
  }
}
