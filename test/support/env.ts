/**
 * process.env changed in place, never replaced: `process.env = {...saved}`
 * swaps Node's environment object for a plain one for the rest of the run
 * (values no longer turned into strings, other modules holding the old one).
 */

/** Set each variable, or remove it when the value is undefined. */
export function setEnv(env: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
}

/** Remember process.env as it is; the function returned puts it back as it was, in place. */
export function snapshotEnv(): () => void {
  const saved = {...process.env}
  return () => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name]
    setEnv(saved)
  }
}
