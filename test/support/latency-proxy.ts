import type {AddressInfo} from 'node:net'

import {connect, createServer, Socket} from 'node:net'

export interface LatencyProxy {
  port: number
  /** times a client spoke again after the server had answered: round trips, summed over connections */
  roundTrips(): number
  stop(): Promise<void>
}

/**
 * A TCP proxy on 127.0.0.1 in front of `targetPort` that delays every chunk
 * by `delayMs` in each direction (a far-away database), and counts round
 * trips. Bytes pass unchanged, TLS included.
 */
export async function latencyProxy(targetPort: number, delayMs: number): Promise<LatencyProxy> {
  let turns = 0
  const sockets = new Set<Socket>()
  const server = createServer(client => {
    const upstream = connect(targetPort, '127.0.0.1')
    let lastFromServer = true
    for (const socket of [client, upstream]) {
      // no Nagle: a pipelined flight must not wait for the last one's ACK, or the proxy adds delay of its own
      socket.setNoDelay(true)
      sockets.add(socket)
      socket.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
      socket.on('close', () => {
        sockets.delete(socket)
        client.end()
        upstream.end()
      })
    }

    client.on('data', chunk => {
      if (lastFromServer) turns++
      lastFromServer = false
      setTimeout(() => upstream.write(chunk), delayMs)
    })
    upstream.on('data', chunk => {
      lastFromServer = true
      setTimeout(() => client.write(chunk), delayMs)
    })
  })
  await new Promise<void>(resolve => {
    server.listen(0, '127.0.0.1', () => resolve())
  })
  return {
    port: (server.address() as AddressInfo).port,
    roundTrips: () => turns,
    async stop() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>(resolve => {
        server.close(() => resolve())
      })
    },
  }
}
