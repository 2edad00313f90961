import {ActionsCommand} from '../../../base-command.js'
import {styledHeader, styledObject} from '../../../lib/output/styled.js'
import {writeOut} from '../../../lib/output/write.js'

export default class LocalStatus extends ActionsCommand {
  static description = `say whether the local database runs, where, and how many actions it holds
Counting the actions of a stopped database starts it for a moment. --json prints state (running, stopped or absent), pid, port (where it runs, or else the one it will start on again), kept_running, data_dir, cluster and actions.`
  static examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static flags = {json: ActionsCommand.jsonFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(LocalStatus)
    const {cluster, dataDir, keptRunning, rememberedPort, server} = await (await this.localDatabase()).status()
    const port = server?.port ?? rememberedPort
    const actions = cluster ? await this.withActions({local: true}, repository => repository.count()) : undefined
    const state = server ? 'running' : (cluster ? 'stopped' : 'absent')
    if (flags.json) {
      const fields = {
        actions, cluster, data_dir: dataDir, kept_running: keptRunning, pid: server?.pid, port, state,
      }
      await writeOut(JSON.stringify(fields, (_key, value) => value ?? null, 2) + '\n')
      return
    }

    await writeOut(styledHeader('the local database') + styledObject([
      ['State', {absent: 'not created yet (the first --local command creates it)', running: keptRunning ? 'running, until heroku actions:local:stop' : 'running', stopped: 'stopped'}[state]],
      ['Address', server ? `127.0.0.1:${server.port} (pid ${server.pid})` : (port === undefined ? undefined : `127.0.0.1:${port} when started again`)],
      ['Data', dataDir],
      ['Cluster', cluster],
      ['Actions', cluster && (actions === undefined ? 'no actions table yet (heroku actions:init --local)' : String(actions))],
    ]))
  }
}
