import {ActionsCommand} from '../../../base-command.js'

export default class LocalStop extends ActionsCommand {
  static description = `stop the local database started by actions:local:start
A --local command still using it keeps it until that command finishes. The data stays for next time.`
  static examples = ['<%= config.bin %> <%= command.id %>']

  async run(): Promise<void> {
    await this.parse(LocalStop)
    const {stopped, users} = await (await this.localDatabase()).stop()
    if (stopped) this.logToStderr('Stopped the local database.')
    else if (users.length > 0) this.logToStderr(`The local database stops when the command using it (pid ${users.join(', ')}) finishes.`)
    else this.logToStderr('The local database is not running.')
  }
}
