import {connect} from 'node:net'

const CANCEL_REQUEST_CODE = 80_877_102
const GIVE_UP_MS = 5000

/**
 * PostgreSQL's CancelRequest: 16 bytes on a fresh TCP connection, which the
 * server closes without an answer. Like psql up to version 16 it is sent in
 * the clear: it carries no credentials, only the session's cancel key.
 */
export async function sendCancelRequest(host: string, port: number, processID: number, secretKey: number): Promise<void> {
  const packet = Buffer.alloc(16)
  packet.writeInt32BE(16, 0)
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4)
  packet.writeInt32BE(processID, 8)
  packet.writeInt32BE(secretKey, 12)
  await new Promise<void>(resolve => {
    const socket = connect({host, port}, () => socket.end(packet))
    socket.setTimeout(GIVE_UP_MS, () => socket.destroy())
    socket.on('error', () => resolve())
    socket.on('close', () => resolve())
  })
}
