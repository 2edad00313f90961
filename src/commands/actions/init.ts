import {ActionsCommand} from '../../base-command.js'
import {migrate, plan} from '../../lib/actions/migrate.js'
import {LATEST_VERSION} from '../../lib/actions/migrations.js'
import {Flags} from '../../lib/oclif.js'
import {writeAfterChange, writeOut} from '../../lib/output/write.js'

/** What init did, in a sentence. */
function outcome({current, existed, pending}: Awaited<ReturnType<typeof migrate>>, label: string): string {
  if (pending.length === 0) return `The actions table on ${label} is up to date (schema version ${current}).`
  if (!existed) return `Created the actions table on ${label} (schema version ${LATEST_VERSION}).`
  const from = current === 0 ? "the tutorial's schema" : `schema version ${current}`
  return `Upgraded the actions table on ${label} from ${from} to version ${LATEST_VERSION}; every row was kept.`
}

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
        if (pending.length === 0) await writeOut(`-- the actions table on ${target.label} is up to date (schema version ${LATEST_VERSION})\n`)
        await writeOut(pending.map(m => `-- migration ${m.version}: ${m.name}\n${m.sql.join(';\n')};\n\n`).join(''))
        return
      }

      const migrated = await migrate(db)
      await writeAfterChange('the actions table is ready', () => writeOut(`${outcome(migrated, target.label)}\n`))
    })
  }
}
