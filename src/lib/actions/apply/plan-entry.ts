/** What apply does to a row, in the order the plan shows and applies them. */
export const STEPS = ['add', 'change', 'remove'] as const
export type Step = typeof STEPS[number]

/** One line of the plan: the row as the file has it (add, change), or as the table has it (remove). */
export interface PlanEntry {
  action: string
  /** change only: the status the table has now */
  old_status?: boolean
  path: string
  status: boolean
  step: Step
}

export interface PlanCounts {
  add: number
  change: number
  /** rows of the table the file does not have, left alone without --prune */
  kept: number
  remove: number
}

/** Writes the plan as it streams from the server, a batch at a time, so a plan of millions is never held. */
export interface PlanRenderer {
  end(counts: PlanCounts): string
  entries(batch: PlanEntry[]): string
}

export function isEmpty(counts: PlanCounts): boolean {
  return counts.add + counts.change + counts.remove === 0
}
