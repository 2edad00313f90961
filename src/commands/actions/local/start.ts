import {ActionsCommand} from '../../../base-command.js'
import {Flags} from '../../../lib/oclif.js'
import {writeOut} from '../../../lib/output/write.js'

export default class LocalStart extends ActionsCommand {
  static description = `start the local database and keep it running
Prints a DATABASE_URL line for a .env file (heroku local reads it); while it runs, --local commands use it. It listens on 127.0.0.1 only and requires SSL, like Heroku Postgres. The port is remembered, so the line stays valid after a restart.`
  static examples = [
    '<%= config.bin %> <%= command.id %> >> .env',
    '<%= config.bin %> <%= command.id %> --port 5433',
  ]
  static flags = {
    port: Flags.integer({description: 'port on 127.0.0.1 (default: the one used last time, else a free one)', max: 65_535, min: 1}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(LocalStart)
    const {port, started, url} = await this.step('Starting the local database', async () => (await this.localDatabase()).keepRunning(flags.port))
    await writeOut(`DATABASE_URL=${url}\n`)
    this.logToStderr(started
      ? `The local database runs on 127.0.0.1:${port} until heroku actions:local:stop.`
      : `The local database was already running on 127.0.0.1:${port}; it now runs until heroku actions:local:stop.`)
  }
}
