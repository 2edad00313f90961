import {Flags} from '../oclif.js'

export interface ProgressOptions {
  /** redraw one line in place (stderr is a terminal) */
  live: boolean
  /** for tests */
  now?: () => number
  stream?: NodeJS.WritableStream
  /** print the final line: on a terminal, or when asked with --progress */
  summary: boolean
  /** the input's size, when known, for a percentage */
  totalBytes?: number
  /** what was done to the actions: 'imported', 'exported' */
  verb: string
}

/** How often the live line is redrawn; also, when not a terminal, a plain line every NOT_LIVE_EVERY_MS. */
const REDRAW_MS = 100
const NOT_LIVE_EVERY_MS = 5000

let numbers: Intl.NumberFormat | undefined
/** 1,000,000; the formatter is made on first use (ICU takes milliseconds to start, which every command would pay) */
function count(n: number): string {
  numbers ??= new Intl.NumberFormat('en-US')
  return numbers.format(n)
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

/**
 * What a long import or export tells the person watching, on stderr: rows
 * and bytes done, the rate, and the percentage when the size is known; then
 * one summary line. Cheap enough to call for every chunk.
 */
export class Progress {
  private drawn = false
  private lastDraw: number
  private readonly now: () => number
  private readonly started: number
  private readonly stream: NodeJS.WritableStream

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? (() => performance.now())
    this.stream = options.stream ?? process.stderr
    this.started = this.now()
    this.lastDraw = this.started
  }

  /** Whether anything will be shown: when not, callers need not count. */
  get shown(): boolean {
    return this.options.live || this.options.summary
  }

  done(rows: number): void {
    this.clear()
    if (!this.options.summary) return
    const noun = rows === 1 ? 'action' : 'actions'
    this.stream.write(`${this.options.verb} ${count(rows)} ${noun} in ${seconds(this.now() - this.started)}\n`)
  }

  /** The line as it stands after `rows` rows and `bytes` bytes. */
  line(rows: number, bytes: number): string {
    const elapsed = Math.max(this.now() - this.started, 1)
    const {totalBytes, verb} = this.options
    const percent = totalBytes ? ` (${Math.min(100, Math.floor((bytes / totalBytes) * 100))}%)` : ''
    const rate = Math.round((rows * 1000) / elapsed)
    return `${verb} ${count(rows)} actions, ${megabytes(bytes)}${percent}, ${count(rate)} actions/s`
  }

  stop(): void {
    this.clear()
  }

  tick(rows: number, bytes: number): void {
    if (!this.options.live && !this.options.summary) return
    const now = this.now()
    const every = this.options.live ? REDRAW_MS : NOT_LIVE_EVERY_MS
    if (now - this.lastDraw < every) return
    this.lastDraw = now
    if (this.options.live) {
      this.stream.write(`\r\u001B[2K${this.line(rows, bytes)}`)
      this.drawn = true
    } else {
      this.stream.write(`${this.line(rows, bytes)}\n`)
    }
  }

  private clear(): void {
    if (!this.drawn) return
    this.stream.write('\r\u001B[2K')
    this.drawn = false
  }
}

export const progressFlag = Flags.boolean({description: 'show progress and a summary on stderr even when it is not a terminal'})

/** Live on a terminal; a summary on a terminal or with --progress; otherwise silent. */
export function progressFor(flags: {progress?: boolean}, verb: string, totalBytes?: number): Progress {
  const tty = Boolean(process.stderr.isTTY)
  return new Progress({
    live: tty, summary: tty || Boolean(flags.progress), totalBytes, verb,
  })
}
