import {once} from 'node:events'

/** Write and wait when the pipe is full, so a slow reader holds memory flat. */
export async function writeOut(text: string, stream: NodeJS.WritableStream = process.stdout): Promise<void> {
  if (text === '') return
  if (!stream.write(text)) await once(stream, 'drain')
}
