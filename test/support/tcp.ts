import {createServer, type Server, type Socket} from 'node:net'
import type {AddressInfo} from 'node:net'

/** A TCP server on 127.0.0.1 that accepts connections, counts them, and never says a word. */
export interface SilentServer {
  close(): Promise<void>
  /** connections accepted so far */
  readonly connections: number
  port: number
}

export async function silentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>()
  let connections = 0
  const server: Server = createServer(socket => {
    connections++
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  return {
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>(resolve => {
        server.close(() => resolve())
      })
    },
    get connections() {
      return connections
    },
    port: (server.address() as AddressInfo).port,
  }
}

/** A port on 127.0.0.1 where nothing listens (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const {port} = server.address() as AddressInfo
  await new Promise<void>(resolve => {
    server.close(() => resolve())
  })
  return port
}
