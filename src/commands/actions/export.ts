import {ActionsCommand} from '../../base-command.js'
import {exportActions, exportFormat} from '../../lib/actions/export.js'
import {FILE_FORMATS} from '../../lib/actions/formats.js'
import {Flags} from '../../lib/oclif.js'
import {progressFlag, progressFor} from '../../lib/output/progress.js'
import {interruptible} from '../../lib/signals.js'

export default class ActionsExport extends ActionsCommand {
  static description = `write actions to stdout or a file, as CSV, NDJSON or JSON, for a backup or for actions:import
The database formats the rows and they are streamed as they come (COPY ... TO STDOUT), so a table of millions exports in constant memory, in id order. CSV has a header, then id, action, path, status (true/false), created_at and updated_at (UTC, as PostgreSQL writes them: 2026-11-27 03:25:13.123456+00); NDJSON is one JSON object a line with the keys and types of actions:list --json, and JSON the array actions:list --json prints. Each imports back unchanged with actions:import. The format is --format, or else what --output's name ends with (.csv; .ndjson or .jsonl; .json), as actions:import reads the same names, or else CSV. --output is written under a temporary name and renamed when complete, so a failed export leaves no file; an existing file is replaced only with --force. On a terminal, progress and a summary go to stderr.`
  static examples = [
    '<%= config.bin %> <%= command.id %> --app example-app > actions.csv',
    '<%= config.bin %> <%= command.id %> --app example-app --output actions.ndjson',
    '<%= config.bin %> <%= command.id %> --app example-app --status pending --path /api/ --format ndjson',
  ]
  static flags = {
    ...ActionsCommand.databaseFlags,
    ...ActionsCommand.filterFlags,
    force: Flags.boolean({dependsOn: ['output'], description: 'replace the --output file if it exists'}),
    format: Flags.option({description: 'csv (the default), ndjson (one JSON object a line) or json (an array, as actions:list --json prints)', options: FILE_FORMATS})(),
    output: Flags.string({char: 'o', description: 'write to this file instead of stdout', helpValue: 'FILE'}),
    progress: progressFlag,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ActionsExport)
    const options = {
      ...flags, filter: flags, format: exportFormat(flags.format, flags.output), progress: progressFor(flags, 'exported'),
    }
    await interruptible(signal => exportActions(fn => this.withActions(flags, fn), {...options, signal}))
  }
}
