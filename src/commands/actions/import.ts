import {ActionsCommand} from '../../base-command.js'
import {FILE_FORMATS} from '../../lib/actions/formats.js'
import {importActions} from '../../lib/actions/import/import.js'
import {openSource} from '../../lib/actions/import/source.js'
import {Args, Flags} from '../../lib/oclif.js'
import {progressFlag, progressFor} from '../../lib/output/progress.js'
import {interruptible} from '../../lib/signals.js'

export default class ActionsImport extends ActionsCommand {
  static args = {
    file: Args.string({description: 'the CSV, NDJSON or JSON file to import; - for stdin', required: true}),
  }
  static description = `import actions from a CSV, NDJSON or JSON file, all or nothing
CSV has a header row naming the columns; NDJSON has one JSON object per line with the same keys; JSON is an array of those objects, as actions:list --json prints it (read an element at a time, so any size fits). The format is --format, or else the file's name (.csv; .ndjson or .jsonl; .json), and the first character tells [ (an array) from { (NDJSON) and a name that says nothing. The columns are action and path, and optionally status (true/false, t/f, 1/0, yes/no, done/pending; empty or missing means pending), id, created_at and updated_at (missing or empty means now), in any order: what actions:export writes imports back unchanged. Rows keep the ids they are given, and new actions get ids after the largest. The rows go in with one COPY in one transaction: a bad row stops the import with its line number and the reason, and nothing is imported. Ctrl-C rolls back.`
  static examples = [
    '<%= config.bin %> <%= command.id %> actions.csv --app example-app',
    '<%= config.bin %> <%= command.id %> backup.ndjson --app example-app --progress',
    'gunzip -c actions.csv.gz | <%= config.bin %> <%= command.id %> - --format csv --app example-app',
  ]
  static flags = {
    ...ActionsCommand.databaseFlags,
    format: Flags.option({description: 'the file\'s format (default: from its extension, else from its first character)', options: FILE_FORMATS})(),
    progress: progressFlag,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ActionsImport)
    const source = await openSource(args.file)
    const progress = progressFor(flags, 'imported', source.size)
    const format = flags.format ?? source.format
    try {
      const rows = await this.withDatabase(flags, db => interruptible(signal => importActions(db, source.stream, {format, progress, signal})))
      progress.done(rows)
    } catch (error) {
      progress.stop()
      source.stream.destroy()
      throw error
    }
  }
}
