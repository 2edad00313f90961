import {PlanEntry, PlanRenderer, STEPS} from '../actions/apply/plan-entry.js'

/**
 * The plan as one JSON object, {"add": [...], "change": [...], "remove":
 * [...]}, written as the entries come (one a line), which arrive grouped by
 * step in that order. Entries carry action, path and status; changes also
 * the old status.
 */
export class PlanJson implements PlanRenderer {
  /** the index in STEPS of the array that is open; -1 before the object is */
  private at = -1
  private inArray = 0

  end(): string {
    return this.openUpTo(STEPS.length - 1) + (this.inArray > 0 ? '\n]}\n' : ']}\n')
  }

  entries(batch: PlanEntry[]): string {
    let out = ''
    for (const {action, old_status: old, path, status, step} of batch) {
      out += this.openUpTo(STEPS.indexOf(step)) + (this.inArray++ > 0 ? ',\n' : '\n')
      out += JSON.stringify(step === 'change'
        ? {
          action, old_status: old, path, status,
        }
        : {action, path, status})
    }

    return out
  }

  /** Close the open array and open the next ones, up to the step at `index`. */
  private openUpTo(index: number): string {
    let out = ''
    while (this.at < index) {
      out += this.at < 0 ? '{' : (this.inArray > 0 ? '\n],' : '],')
      this.at++
      this.inArray = 0
      out += `"${STEPS[this.at]}":[`
    }

    return out
  }
}
