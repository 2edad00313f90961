import {execFile} from 'node:child_process'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import net, {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import tls from 'node:tls'
import {promisify} from 'node:util'

/**
 * A TCP proxy on 127.0.0.1 in front of a PostgreSQL server, that breaks
 * connections on purpose: delay, refuse, or cut after N bytes or at a given
 * client message, in either direction.
 *
 * It speaks just enough of the protocol to see what it cuts: when the client
 * asks for SSL (SSLRequest) and the server agrees, the proxy takes the TLS off
 * both sides (its own self-signed certificate towards the client, which
 * `require` accepts as it accepts Heroku's), so byte counts and cut points are
 * in protocol bytes and messages, not in encrypted records whose sizes vary.
 * When the server says no to SSL, the proxy says no too, and passes bytes as
 * they are.
 */

/** up: client to server; down: server to client */
export type Direction = 'down' | 'up'

/**
 * A cut applies to every connection, or with `connection` only to that one
 * (1 is the first opened since the last reset); the others pass.
 */
export type Fault
  = | {afterBytes: number; connection?: number; direction: Direction; kind: 'cut'}
  /**
   * The client's message number `atMessage` (1 is the startup message), or
   * the first Query/Parse whose SQL matches. `up`: it never reaches the
   * server. `down`: the server gets it and answers, the answer never arrives.
   */
    | {atMessage: number | RegExp; connection?: number; direction: Direction; kind: 'cut'}
    | {kind: 'delay'; ms: number}
    | {kind: 'pass'}
    | {kind: 'refuse'}

export interface ProxyConnection {
  /** the proxy broke this connection on purpose */
  cut: boolean
  /** protocol bytes that reached the client (after TLS) */
  down: number
  /** the first bytes the client sent, as they were on the wire */
  firstBytes: Buffer
  /** the client's messages so far: type letter ('startup' first), and the SQL of Query and Parse */
  messages: Array<{sql?: string; type: string}>
  /** SQL of each Query and Parse message the client sent, in order */
  queries: string[]
  /** the client opened with an SSLRequest, before anything else */
  sslRequested: boolean
  /** protocol bytes that reached the server (after TLS) */
  up: number
}

const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F])
const run = promisify(execFile)

interface Keys {cert: string; key: string}

async function selfSignedCertificate(): Promise<Keys> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fault-proxy-'))
  try {
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')]
    await run('openssl', ['req',
      '-new',
      '-x509',
      '-days',
      '2',
      '-nodes',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-subj',
      '/CN=fault-proxy',
      '-keyout',
      key,
      '-out',
      cert])
    return {cert: await readFile(cert, 'utf8'), key: await readFile(key, 'utf8')}
  } finally {
    await rm(dir, {force: true, recursive: true})
  }
}

export class FaultProxy {
  readonly connections: ProxyConnection[] = []
  private fault: Fault = {kind: 'pass'}
  private readonly open = new Set<net.Socket>()
  private server: net.Server | undefined

  private constructor(private readonly target: {host: string; port: number}, private readonly keys: Keys, public port = 0) {}

  static async start(target: {host: string; port: number}): Promise<FaultProxy> {
    const proxy = new FaultProxy(target, await selfSignedCertificate())
    await proxy.listen()
    return proxy
  }

  /** Forget recorded connections and close the ones still open. */
  reset(): void {
    this.connections.length = 0
    for (const socket of this.open) socket.destroy()
  }

  /** Applies to connections opened from now on; 'refuse' closes the port until another fault is set. */
  async setFault(fault: Fault): Promise<void> {
    this.fault = fault
    await (fault.kind === 'refuse' ? this.unlisten() : this.listen());
  }

  async stop(): Promise<void> {
    this.reset()
    await this.unlisten()
  }

  /** The same URL, through the proxy. */
  url(databaseUrl: string): string {
    const url = new URL(databaseUrl)
    url.hostname = '127.0.0.1'
    url.port = String(this.port)
    return url.toString()
  }

  private accept(client: net.Socket): void {
    const record: ProxyConnection = {
      cut: false, down: 0, firstBytes: Buffer.alloc(0), messages: [], queries: [], sslRequested: false, up: 0,
    }
    this.connections.push(record)
    const backend = net.connect(this.target.port, this.target.host)
    for (const socket of [client, backend]) {
      this.open.add(socket)
      socket.on('close', () => this.open.delete(socket))
      socket.on('error', () => {})
    }

    const {fault} = this
    const spared = fault.kind === 'cut' && fault.connection !== undefined && fault.connection !== this.connections.length
    const link = new Link(record, spared ? {kind: 'pass'} : fault, client, backend)
    let head = Buffer.alloc(0)
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk])
      if (head.length < SSL_REQUEST.length && SSL_REQUEST.subarray(0, head.length).equals(head)) return
      client.off('data', onData)
      client.pause()
      record.firstBytes = head
      record.sslRequested = head.subarray(0, 8).equals(SSL_REQUEST)
      if (record.sslRequested) this.negotiate(link, client, backend, head.subarray(8))
      else link.start(client, backend, head)
    }

    client.on('data', onData)
    client.on('close', () => link.close())
    backend.on('close', () => link.close())
  }

  private async listen(): Promise<void> {
    if (this.server) return
    const server = net.createServer(socket => this.accept(socket))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.port, '127.0.0.1', () => resolve())
    })
    this.port = (server.address() as AddressInfo).port
    this.server = server
  }

  /** Ask the server for SSL; answer the client the same, and take TLS off both sides when agreed. */
  private negotiate(link: Link, client: net.Socket, backend: net.Socket, rest: Buffer): void {
    backend.write(SSL_REQUEST)
    backend.once('data', (answer: Buffer) => {
      backend.pause()
      const agreed = answer[0] === 0x53 // 'S'
      client.write(answer.subarray(0, 1))
      if (!agreed) {
        link.start(client, backend, rest)
        return
      }

      const clientTls = new tls.TLSSocket(client, {cert: this.keys.cert, isServer: true, key: this.keys.key})
      const backendTls = tls.connect({rejectUnauthorized: false, socket: backend})
      for (const socket of [clientTls, backendTls]) socket.on('error', () => link.close())
      // Never in a well-behaved client: data after SSLRequest before the answer. Would be lost; say so.
      if (rest.length > 0) link.close()
      else link.start(clientTls, backendTls, Buffer.alloc(0))
    })
  }

  private async unlisten(): Promise<void> {
    const {server} = this
    if (!server) return
    this.server = undefined
    await new Promise<void>(resolve => {
      server.close(() => resolve())
    })
  }
}

/** One client-server pair: forwards both ways, applies the fault, records what passed. */
class Link {
  private closed = false
  private downQueue = Promise.resolve()
  private ends: net.Socket[] = []
  private parser: MessageParser
  private pendingDownCut = false
  private upQueue = Promise.resolve()

  constructor(private readonly record: ProxyConnection, private readonly fault: Fault, ...raw: net.Socket[]) {
    this.ends.push(...raw)
    this.parser = new MessageParser()
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    for (const socket of this.ends) socket.destroy()
  }

  start(client: net.Socket, backend: net.Socket, head: Buffer): void {
    this.ends.push(client, backend)
    if (head.length > 0) this.up(head, backend)
    client.on('data', (chunk: Buffer) => this.up(chunk, backend))
    backend.on('data', (chunk: Buffer) => this.down(chunk, client))
    client.resume()
    backend.resume()
  }

  private cutNow(): void {
    this.record.cut = true
    this.close()
  }

  private delayed(queue: 'downQueue' | 'upQueue', send: () => void): void {
    if (this.fault.kind !== 'delay') {
      send()
      return
    }

    const {ms} = this.fault
    this[queue] = this[queue].then(() => new Promise(resolve => {
      setTimeout(resolve, ms)
    })).then(() => {
      if (!this.closed) send()
    })
  }

  private down(chunk: Buffer, client: net.Socket): void {
    if (this.closed) return
    const {fault} = this
    if (this.pendingDownCut) {
      this.cutNow()
      return
    }

    if (fault.kind === 'cut' && fault.direction === 'down' && 'afterBytes' in fault) {
      const room = fault.afterBytes - this.record.down
      if (chunk.length >= room) {
        this.record.down += room
        client.write(chunk.subarray(0, room), () => this.cutNow())
        return
      }
    }

    this.record.down += chunk.length
    this.delayed('downQueue', () => client.write(chunk))
  }

  private remember(message: Message): void {
    this.record.messages.push({sql: message.sql, type: message.type})
    if (message.sql !== undefined) this.record.queries.push(message.sql)
  }

  private up(chunk: Buffer, backend: net.Socket): void {
    if (this.closed) return
    const {fault} = this
    if (fault.kind === 'cut' && 'afterBytes' in fault && fault.direction === 'up') {
      const room = fault.afterBytes - this.record.up
      if (chunk.length >= room) {
        this.parser.push(chunk.subarray(0, room), message => this.remember(message))
        this.record.up += room
        backend.write(chunk.subarray(0, room), () => this.cutNow())
        return
      }
    }

    if (fault.kind === 'cut' && 'atMessage' in fault) {
      this.upByMessage(chunk, backend, fault.atMessage, fault.direction)
      return
    }

    this.parser.push(chunk, message => this.remember(message))
    this.record.up += chunk.length
    this.delayed('upQueue', () => backend.write(chunk))
  }

  /**
   * Forward message by message, so the cut falls exactly before or after the
   * chosen one. After a `down` hit the client's next messages still go (the
   * server answers a Parse only at Sync); the first answer is dropped.
   */
  private upByMessage(chunk: Buffer, backend: net.Socket, at: number | RegExp, direction: Direction): void {
    this.parser.push(chunk, message => {
      if (this.closed) return
      this.remember(message)
      const hit = typeof at === 'number' ? this.record.messages.length === at : at.test(message.sql ?? '')
      if (hit && direction === 'up') {
        this.cutNow()
        return
      }

      this.record.up += message.bytes.length
      backend.write(message.bytes)
      if (hit) this.pendingDownCut = true
    })
  }
}

interface Message {
  bytes: Buffer
  sql?: string
  type: string
}

/** Splits the client's byte stream into protocol messages: the untyped startup message, then typed ones. */
class MessageParser {
  private buffer = Buffer.alloc(0)
  private started = false

  push(chunk: Buffer, onMessage: (message: Message) => void): void {
    this.buffer = Buffer.concat([this.buffer, chunk])
    while (true) {
      const offset = this.started ? 1 : 0
      if (this.buffer.length < offset + 4) return
      const total = offset + this.buffer.readInt32BE(offset)
      if (this.buffer.length < total) return
      const bytes = this.buffer.subarray(0, total)
      this.buffer = this.buffer.subarray(total)
      onMessage(this.started ? typed(bytes) : {bytes, type: 'startup'})
      this.started = true
    }
  }
}

function typed(bytes: Buffer): Message {
  const type = String.fromCodePoint(bytes[0])
  const body = bytes.subarray(5)
  const cstring = (from: number) => body.subarray(from, body.indexOf(0, from)).toString('utf8')
  if (type === 'Q') return {bytes, sql: cstring(0), type}
  // Parse: statement name, then the SQL
  if (type === 'P') return {bytes, sql: cstring(body.indexOf(0) + 1), type}
  return {bytes, type}
}
