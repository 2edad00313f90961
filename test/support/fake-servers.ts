import type {AddressInfo} from 'node:net'

import {createServer, Server, Socket} from 'node:net'

/**
 * Tiny TCP servers on 127.0.0.1 that stand for a database in trouble. Each
 * returns its port and a stop function.
 */
export interface FakeServer {
  port: number
  stop(): Promise<void>
}

async function listen(onConnection: (socket: Socket) => void): Promise<FakeServer> {
  const sockets = new Set<Socket>()
  const server: Server = createServer(socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    onConnection(socket)
  })
  await new Promise<void>(resolve => {
    server.listen(0, '127.0.0.1', () => resolve())
  })
  return {
    port: (server.address() as AddressInfo).port,
    async stop() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>(resolve => {
        server.close(() => resolve())
      })
    },
  }
}

/** The same database URL, at another port (one of the servers here). */
export function atPort(url: string, port: number): string {
  const u = new URL(url)
  u.port = String(port)
  return u.toString()
}

/** A port nothing listens on: connections are refused (one definition, in tcp.ts). */
export {closedPort} from './tcp.js'

/** Accepts connections and never answers: the client's connect timeout has to end it. */
export async function silentServer(): Promise<FakeServer> {
  return listen(() => {})
}

function errorResponse(fields: Record<string, string>): Buffer {
  const body = Buffer.concat([
    ...Object.entries(fields).map(([type, value]) => Buffer.from(`${type}${value}\0`)),
    Buffer.from([0]),
  ])
  const header = Buffer.alloc(5)
  header.write('E', 0)
  header.writeInt32BE(body.length + 4, 1)
  return Buffer.concat([header, body])
}

/**
 * A PostgreSQL that is starting up: declines SSL, then answers the startup
 * message with FATAL 57P03, as a real server does before it is ready.
 */
export async function startingUpServer(): Promise<FakeServer> {
  return listen(socket => {
    socket.on('data', data => {
      // SSLRequest: 8 bytes, code 80877103
      if (data.length === 8 && data.readInt32BE(4) === 80_877_103) {
        socket.write('N')
        return
      }

      socket.end(errorResponse({
        C: '57P03', M: 'the database system is starting up', S: 'FATAL', V: 'FATAL',
      }))
    })
  })
}
