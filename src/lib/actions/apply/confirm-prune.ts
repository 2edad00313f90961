import {UserError} from '../../errors.js'
import {confirmName} from '../../prompt/confirm.js'
import {NOTHING_CHANGED} from './messages.js'

export interface PruneFlags {
  confirm?: string
  'dry-run'?: boolean
  prune?: boolean
}

/**
 * --prune removes rows for good, so it needs --confirm with the app's name
 * (`expected`), as actions:remove does; but apply never prompts: stdin may
 * be the file itself. A dry run removes nothing and needs no confirmation.
 */
export async function confirmPrune(expected: string, flags: PruneFlags): Promise<void> {
  if (!flags.prune) return
  if (flags.confirm === undefined) {
    if (flags['dry-run']) return
    throw new UserError(`--prune removes the actions the file does not have, for good: pass --confirm ${expected} to proceed (--dry-run shows which); ${NOTHING_CHANGED}`)
  }

  // never prompts when a name is given
  await confirmName(expected, flags.confirm, 'Pruning')
}
