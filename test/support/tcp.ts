import {readFile} from 'node:fs/promises'
import {
  type AddressInfo, connect, createServer, type Server, type Socket,
} from 'node:net'

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

/**
 * A port on 127.0.0.1 where nothing listens and nothing will: below the
 * kernel's ephemeral range, so no listen(0) (freePort, the test servers)
 * can be handed it later in the run, as a port that was free a moment ago can.
 * Checked with a connection that must be refused.
 */
export async function closedPort(): Promise<number> {
  const [ephemeralLow] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')).trim().split(/\s+/).map(Number)
  const low = Math.min(10_000, ephemeralLow - 1000)
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = low + Math.floor(Math.random() * (ephemeralLow - low))
    if (await refused(port)) return port
  }

  throw new Error(`no closed port found below ${ephemeralLow}`)
}

function refused(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'))
  })
}
