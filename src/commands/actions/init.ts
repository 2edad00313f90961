import {Flags} from '@oclif/core'

import {migrate, plan} from '../../lib/actions/migrate.js'
import {LATEST_VERSION} from '../../lib/actions/migrations.js'
import {ActionsCommand} from '../../base-command.js'

export default class ActionsInit extends ActionsCommand {
  static description = `create the actions table, or upgrade it to the current schema
Safe to run again: it reports when the table is up to date. A table made by the tutorial's script (action, path, status) is upgraded in place; every row is kept and given an id. Each schema step runs in a transaction and is recorded in heroku_actions_migrations.`

  static examples = [
    '<%= config.bin %> <%= command.id %> --app example-app',
    '<%= config.bin %> <%= command.id %> --app example-app --dry-run',
    '<%= config.bin %> <%= command.id %> --app example-app --database HEROKU_POSTGRESQL_RED',
    '<%= config.bin %> <%= command.id %> --local',
  ]

  static flags = {
    ...ActionsCommand.databaseFlags,
    'dry-run': Flags.boolean({description: 'print the SQL it would run and change nothing'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ActionsInit)
    await this.withDatabase(flags, async (db, target) => {
      if (flags['dry-run']) {
        const {pending} = await plan(db)
        if (pending.length === 0) this.log(`-- the actions table on ${target.label} is up to date (schema version ${LATEST_VERSION})`)
        for (const m of pending) this.log(`-- migration ${m.version}: ${m.name}\n${m.sql.join(';\n')};\n`)
        return
      }

      const {current, existed, pending} = await migrate(db)
      if (pending.length === 0) {
        this.log(`The actions table on ${target.label} is up to date (schema version ${current}).`)
      } else if (existed) {
        const from = current === 0 ? "the tutorial's schema" : `schema version ${current}`
        this.log(`Upgraded the actions table on ${target.label} from ${from} to version ${LATEST_VERSION}; every row was kept.`)
      } else {
        this.log(`Created the actions table on ${target.label} (schema version ${LATEST_VERSION}).`)
      }
    })
  }
}
