import {spawn} from 'node:child_process'
import {
  closeSync, openSync, readFileSync, rmSync,
} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const MAX_RSS = path.join(ROOT, 'bench/support/max-rss.mjs')

export interface Measured {
  ms: number
  /** peak resident set size in kB, for Node commands */
  rssKb?: number
}

/** Runs commands as a user would, timing each from spawn to exit; stdout goes to a file in the scratch folder. */
export class Runner {
  constructor(private readonly env: NodeJS.ProcessEnv, private readonly scratch: string) {}

  /** a Node script of ours (relative to the project), with its peak RSS */
  async node(argv: string[], stdout?: string): Promise<Measured> {
    const rssFile = path.join(this.scratch, 'rss')
    rmSync(rssFile, {force: true})
    const measured = await this.spawn(process.execPath, ['--import', MAX_RSS, ...argv], stdout, {BENCH_RSS_FILE: rssFile})
    const rssKb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1))
    return {...measured, rssKb}
  }

  /** bin/run.js, the plugin as a user runs it */
  async ours(argv: string[], stdout?: string): Promise<Measured> {
    return this.node([path.join(ROOT, 'bin/run.js'), ...argv], stdout)
  }

  async psql(url: string, command: string, stdout?: string): Promise<Measured> {
    return this.spawn('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', command], stdout)
  }

  private async spawn(command: string, argv: string[], stdout: string | undefined, env: NodeJS.ProcessEnv = {}): Promise<Measured> {
    const out = stdout ? openSync(path.join(this.scratch, stdout), 'w') : 'ignore'
    const started = performance.now()
    try {
      const child = spawn(command, argv, {cwd: ROOT, env: {...process.env, ...this.env, ...env}, stdio: ['ignore', out, 'pipe']})
      let stderr = ''
      child.stderr!.on('data', chunk => {
        stderr += chunk
      })
      const code = await new Promise<null | number>((resolve, reject) => {
        child.once('error', reject)
        child.once('close', resolve)
      })
      if (code !== 0) throw new Error(`${path.basename(command)} ${argv.filter(a => !a.includes('://')).join(' ')} exited with ${code}: ${stderr.trim()}`)
      return {ms: performance.now() - started}
    } finally {
      if (typeof out === 'number') closeSync(out)
    }
  }
}
