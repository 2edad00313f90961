import {ActionsCommand} from '../../base-command.js'
import {applyActions} from '../../lib/actions/apply/apply.js'
import {confirmPrune} from '../../lib/actions/apply/confirm-prune.js'
import {isEmpty} from '../../lib/actions/apply/plan-entry.js'
import {FILE_FORMATS} from '../../lib/actions/formats.js'
import {openSource} from '../../lib/actions/import/source.js'
import {Args, Flags} from '../../lib/oclif.js'
import {PlanJson} from '../../lib/output/plan-json.js'
import {planOutcome, PlanText} from '../../lib/output/plan-text.js'
import {writeOut} from '../../lib/output/write.js'
import {interruptible} from '../../lib/signals.js'

export default class ActionsApply extends ActionsCommand {
  static args = {
    file: Args.string({description: 'the CSV or NDJSON file the table should match; - for stdin', required: true}),
  }
  static description = `make the actions table match a file: print the plan, then add, change and (with --prune) remove rows
The file is CSV or NDJSON as actions:import reads and actions:export writes; id, created_at and updated_at are ignored. Rows are matched by action and path: a pair only the file has is added, one whose status differs is changed, one only the table has is left alone, or removed with --prune (which needs --confirm APP, except with --dry-run). The plan is printed first (+ add, ~ change, - remove, then the counts); --json prints it as {"add":[...],"change":[...],"remove":[...]}. All in one transaction, under a lock that makes writers wait, so the plan printed is the plan applied: a pair the file or the table has twice, or a row import would refuse, stops it with nothing changed. Never prompts. Ctrl-C rolls back.`
  static examples = [
    '<%= config.bin %> <%= command.id %> actions.csv --app example-app',
    'heroku actions:export --app example-staging | <%= config.bin %> <%= command.id %> - --app example-app',
    '<%= config.bin %> <%= command.id %> actions.csv --app example-app --dry-run --prune --exit-code',
    '<%= config.bin %> <%= command.id %> actions.ndjson --app example-app --prune --confirm example-app',
  ]
  static flags = {
    ...ActionsCommand.databaseFlags,
    confirm: Flags.string({dependsOn: ['prune'], description: 'the app\'s name (local with --local), to confirm --prune', helpValue: 'APP'}),
    'dry-run': Flags.boolean({description: 'print the plan and change nothing'}),
    'exit-code': Flags.boolean({description: 'exit 2 when the plan is not empty, 0 when it is (as git diff --exit-code)'}),
    format: Flags.option({description: 'the file\'s format (default: from its extension, else from its first character)', options: FILE_FORMATS})(),
    json: ActionsCommand.jsonFlag,
    prune: Flags.boolean({description: 'also remove the actions the file does not have'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ActionsApply)
    const source = await openSource(args.file, process.stdin, 'apply')
    const counts = await this.withDatabase(flags, async (db, target) => {
      const app = target.resolved?.app ?? target.name
      await confirmPrune(app, flags)
      const where = flags.local ? '--local' : `--app ${app}${flags.database ? ` --database ${flags.database}` : ''}`
      return interruptible(signal => applyActions(db, source.stream, {
        dryRun: flags['dry-run'], format: flags.format ?? source.format, prune: flags.prune, removeCommand: ids => `heroku actions:remove ${ids.join(' ')} ${where} --confirm ${app}`, renderer: flags.json ? new PlanJson() : new PlanText(),
        signal,
        write: text => writeOut(text),
      }))
    }).finally(() => source.stream.destroy())
    this.logToStderr(planOutcome(counts, flags['dry-run']))
    if (flags['exit-code'] && !isEmpty(counts)) this.exit(2)
  }
}
