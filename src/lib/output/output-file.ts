import {randomBytes} from 'node:crypto'
import {once} from 'node:events'
import {createWriteStream, type WriteStream} from 'node:fs'
import {
  access, link, rename, unlink,
} from 'node:fs/promises'
import path from 'node:path'
import {finished} from 'node:stream/promises'

import {UserError, WriteError} from '../errors.js'

/** link(2) is not offered everywhere (some network and FAT file systems) */
const NO_LINKS = new Set(['ENOSYS', 'ENOTSUP', 'EOPNOTSUPP', 'EPERM', 'EXDEV'])

async function exists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false)
}

/**
 * A file written under a temporary name beside it and given its own name
 * only once complete, so a failed or interrupted export never leaves a file
 * that looks whole. An existing file is replaced only with `force`.
 */
export class OutputFile {
  private constructor(readonly file: string, private readonly temporary: string, readonly stream: WriteStream) {}

  static async open(file: string, options: {force?: boolean} = {}): Promise<OutputFile> {
    if (!options.force && await exists(file)) throw new UserError(`${file} already exists: pass --force to replace it, or choose another --output`)
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
    const stream = createWriteStream(temporary, {flags: 'wx'})
    try {
      await once(stream, 'open')
    } catch (error) {
      throw new WriteError(error, file)
    }

    return new OutputFile(file, temporary, stream)
  }

  /** Give the complete file its name: rename, or link (never replacing a file that appeared meanwhile) without force. */
  async commit(options: {force?: boolean} = {}): Promise<void> {
    try {
      this.stream.end()
      await finished(this.stream)
      if (options.force || !(await this.linked())) await rename(this.temporary, this.file)
    } catch (error) {
      await this.discard()
      throw error instanceof UserError ? error : new WriteError(error, this.file)
    }
  }

  /** Remove what was written. */
  async discard(): Promise<void> {
    // a write still under way fails once the file is closed: nobody wants it any more
    this.stream.on('error', () => {})
    this.stream.destroy()
    await unlink(this.temporary).catch(() => {})
  }

  /** false when this file system has no hard links (then rename, after looking once more) */
  private async linked(): Promise<boolean> {
    try {
      await link(this.temporary, this.file)
    } catch (error) {
      const code = (error as {code?: string}).code ?? ''
      const noLinks = NO_LINKS.has(code)
      if (code === 'EEXIST' || (noLinks && await exists(this.file))) {
        throw new UserError(`${this.file} was created by something else during the export and was left alone: pass --force to replace it, or choose another --output`)
      }

      if (noLinks) return false
      throw error
    }

    await unlink(this.temporary)
    return true
  }
}
