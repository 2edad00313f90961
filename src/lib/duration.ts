import {UserError} from './errors.js'

const UNITS: Record<string, number> = {
  h: 3_600_000, m: 60_000, min: 60_000, ms: 1, s: 1000,
}

/** A duration flag's value in ms: a number with a unit (500ms, 30s, 10m, 10min, 1h); a bare number is refused, since 30 could mean any unit. */
export function parseDuration(flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)$/.exec(value.trim())
  if (!match) throw new UserError(`--${flag} ${value} is not a duration: give a unit, e.g. 30s, 10m or 1h`)
  return Math.round(Number(match[1]) * UNITS[match[2]])
}

/** ms as the shortest unit that says it whole: 10m, 90s, 1500ms. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`
  return `${ms}ms`
}
