import {
  isEmpty, PlanCounts, PlanEntry, PlanRenderer,
} from '../actions/apply/plan-entry.js'
import {color} from '../heroku/heroku-cli.js'
import {printable} from './printable.js'

const word = (status: boolean) => (status ? 'done' : 'pending')

/**
 * The plan for people: `+ action path (pending)`, `~ action path: pending -> done`,
 * `- action path`, then the counts. On a terminal the marks are green, yellow
 * and red, in the Heroku CLI's colours (never in a pipe or with NO_COLOR).
 */
export class PlanText implements PlanRenderer {
  end(counts: PlanCounts): string {
    return `${counts.add} to add, ${counts.change} to change, ${counts.remove} to remove\n`
  }

  entries(batch: PlanEntry[]): string {
    let out = ''
    for (const {action, old_status: old, path, status, step} of batch) {
      // values may hold line breaks and terminal controls: shown as \xHH
      const pair = `${printable(action)} ${printable(path)}`
      if (step === 'add') out += `${color.green('+')} ${pair} (${word(status)})\n`
      else if (step === 'change') out += `${color.yellow('~')} ${pair}: ${word(old!)} -> ${word(status)}\n`
      else out += `${color.red('-')} ${pair}\n`
    }

    return out
  }
}

/** What apply says on stderr once it is over: what was done, or why nothing was. */
export function planOutcome(counts: PlanCounts, dryRun: boolean): string {
  const lines = [
    dryRun
      ? 'Dry run: nothing was changed.'
      : (isEmpty(counts) ? 'Nothing to do: the table matches the file.' : `Applied: ${counts.add} added, ${counts.change} changed, ${counts.remove} removed.`),
  ]
  if (counts.kept > 0) {
    lines.push(`${counts.kept} ${counts.kept === 1 ? 'action' : 'actions'} of the table not in the file ${dryRun ? 'would be' : (counts.kept === 1 ? 'was' : 'were')} left alone (--prune removes them).`)
  }

  return lines.join('\n')
}
