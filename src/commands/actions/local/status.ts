import {ActionsCommand} from '../../../base-command.js'

export default class LocalStatus extends ActionsCommand {
  static description = `say whether the local database runs, where, and how many actions it holds
Counting the actions of a stopped database starts it for a moment.`

  static examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static flags = {json: ActionsCommand.jsonFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(LocalStatus)
    const status = await this.localDatabase().status()
    const actions = status.cluster ? await this.withActions({local: true}, repository => repository.count()) : undefined
    const {server} = status
    const state = server ? 'running' : (status.cluster ? 'stopped' : 'not created yet (the first --local command creates it)')
    if (flags.json) {
      this.log(JSON.stringify({
        actions: actions ?? null, cluster: status.cluster ?? null, dataDir: status.dataDir, keptRunning: status.keptRunning,
        pid: server?.pid ?? null, port: server?.port ?? null, state: server ? 'running' : (status.cluster ? 'stopped' : 'absent'),
      }, null, 2))
      return
    }

    const lines = [
      ['state', state + (server && status.keptRunning ? ', until heroku actions:local:stop' : '')],
      ['address', server ? `127.0.0.1:${server.port} (pid ${server.pid})` : undefined],
      ['data', status.dataDir],
      ['cluster', status.cluster],
      ['actions', status.cluster ? (actions === undefined ? 'no actions table yet (heroku actions:init --local)' : String(actions)) : undefined],
    ].filter((line): line is [string, string] => line[1] !== undefined)
    this.log(lines.map(([key, value]) => `${key.padEnd(8)}${value}`).join('\n'))
  }
}
