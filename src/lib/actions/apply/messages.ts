export const NOTHING_CHANGED = 'nothing was changed'

/** What a user can do when the commit's outcome is unknown. */
export const CHECK = 'check with heroku actions:apply --dry-run'
