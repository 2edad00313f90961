import {ChildProcess, spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {
  connect, createServer, Server, Socket,
} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {createInterface} from 'node:readline'

import {
  runBin, RunResult, runScript, SpawnOptions,
} from './run.js'

/**
 * The host's address: TEST-NET-2 (RFC 5737), reserved for documentation, so
 * it is nobody's real address. It only ever exists on the `lo` of a namespace
 * the test creates.
 */
export const TEST_HOST_ADDRESS = '198.51.100.7'

/** An address of the same range that the namespace's routing table calls unreachable: connecting to it fails with EHOSTUNREACH at once. */
export const UNREACHABLE_ADDRESS = '198.51.100.9'

/**
 * A test host that is not loopback: a user and network namespace of its own
 * (`unshare --user --map-root-user --net`, which needs no root), whose `lo`
 * also carries TEST_HOST_ADDRESS. Only lo exists there, so nothing in it
 * reaches the outside and nothing outside reaches it. A PostgreSQL stand-in
 * that offers no SSL listens on that address and reports what clients send;
 * clients run in the namespace too (they join it with nsenter).
 */
export interface TestHost {
  address: string
  /** what each connection to the server opened with: an SSLRequest, or a plaintext startup message (whose text is kept) */
  events: Array<{kind: 'plaintext'; text: string} | {kind: 'ssl-request'}>
  remove(): Promise<void>
  /** bin/run.js, run inside the namespace */
  runBin(argv: string[], options?: SpawnOptions): Promise<RunResult>
  /** a CommonJS script, run inside the namespace (`node -e`, from the repository, so it finds its packages) */
  runNode(source: string, options?: SpawnOptions): Promise<RunResult>
}

/** Makes the namespace's network: lo up, the address on it, the unreachable route. ip may be in sbin, which an ordinary user's PATH often lacks. */
const SETUP = `PATH="$PATH:/usr/sbin:/sbin" && ip link set lo up && ip addr add "$1/32" dev lo && ip route add unreachable ${UNREACHABLE_ADDRESS}/32 && shift && exec "$@"`
const UNSHARE = ['unshare', '--user', '--map-root-user', '--net']

/**
 * Why no test host can be made here, or undefined when one can: the same
 * namespace and address as createTestHost, made and dropped at once.
 */
export function whyNoTestHost(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces are Linux's, and this is ${process.platform}`
  const probe = spawnSync(UNSHARE[0], [...UNSHARE.slice(1), 'sh', '-c', SETUP, 'sh', TEST_HOST_ADDRESS, 'true'], {encoding: 'utf8'})
  if (probe.error) return `${UNSHARE.join(' ')} could not run (${probe.error.message}): install util-linux`
  if (probe.status === 0) return undefined
  return `${UNSHARE.join(' ')} with an address on lo failed (user namespaces disabled? no iproute2?): ${probe.stderr.trim()}`
}

// Runs inside the namespace: answers an SSLRequest with N, as a server
// without SSL does, and reports each connection's opening on stdout. The
// ports after the first two are loopback ports of the outside (the Platform
// API stand-in), brought in through Unix sockets, which a network namespace
// does not separate. Ends when the test closes its stdin.
const HOST = `
const net = require('node:net')
const [host, port, ...bridges] = process.argv.slice(1)
const report = event => process.stdout.write(JSON.stringify(event) + '\\n')
const listening = []
const listen = (server, ...where) => listening.push(new Promise(resolve => server.listen(...where, resolve)))
listen(net.createServer(socket => {
  let buffer = Buffer.alloc(0)
  socket.on('error', () => {})
  socket.on('data', chunk => {
    buffer = Buffer.concat([buffer, chunk])
    while (buffer.length >= 8) {
      const length = buffer.readInt32BE(0)
      if (length === 8 && buffer.readInt32BE(4) === 80877103) {
        report({kind: 'ssl-request'})
        buffer = buffer.subarray(8)
        socket.write('N')
        continue
      }
      report({kind: 'plaintext', text: buffer.toString('latin1')})
      socket.destroy()
      return
    }
  })
}), Number(port), host)
for (const bridge of bridges) {
  const [loopbackPort, socketPath] = bridge.split('=')
  listen(net.createServer(inside => {
    const outside = net.connect(socketPath)
    for (const [a, b] of [[inside, outside], [outside, inside]]) a.on('error', () => b.destroy()).pipe(b)
  }), Number(loopbackPort), '127.0.0.1')
}
Promise.all(listening).then(() => report({kind: 'listening'}))
process.stdin.on('end', () => process.exit(0)).resume()
`

/** The outside end of a bridge: a Unix socket that passes each connection on to a port of this machine's loopback. */
async function bridgeTo(port: number, socketPath: string): Promise<Server> {
  const server = createServer(inside => {
    const outside: Socket = connect(port, '127.0.0.1')
    for (const [a, b] of [[inside, outside], [outside, inside]]) a.on('error', () => b.destroy()).pipe(b)
  })
  await new Promise<void>(resolve => {
    server.listen(socketPath, resolve)
  })
  return server
}

/**
 * Start a test host whose server listens on `port`; clients inside may also
 * reach `loopbackPorts` of this machine's 127.0.0.1 (the Platform API
 * stand-in), at the same port numbers.
 */
export async function createTestHost(port: number, loopbackPorts: number[] = []): Promise<TestHost> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'heroku-actions-netns-'))
  const bridges = await Promise.all(loopbackPorts.map(async p => ({port: p, server: await bridgeTo(p, path.join(dir, `${p}.sock`))})))
  const args = [...UNSHARE.slice(1),
    'sh',
    '-c',
    SETUP,
    'sh',
    TEST_HOST_ADDRESS,
    process.execPath,
    '-e',
    HOST,
    TEST_HOST_ADDRESS,
    String(port),
    ...bridges.map(b => `${b.port}=${path.join(dir, `${b.port}.sock`)}`)]
  // the namespace ends with its process, which ends when our end of its stdin closes, even if this process dies
  const child: ChildProcess = spawn(UNSHARE[0], args, {stdio: ['pipe', 'pipe', 'pipe']})
  const forget = (): void => rmSync(dir, {force: true, recursive: true})
  process.on('exit', forget)
  const remove = async (): Promise<void> => {
    process.off('exit', forget)
    child.stdin!.end()
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      await new Promise(resolve => {
        child.once('exit', resolve)
      })
    }

    await Promise.all(bridges.map(b => new Promise(resolve => {
      b.server.close(resolve)
    })))
    forget()
  }

  const events: TestHost['events'] = []
  const lines = createInterface({input: child.stdout!})
  try {
    await new Promise<void>((resolve, reject) => {
      let stderr = ''
      child.stderr!.on('data', chunk => {
        stderr += chunk
      })
      child.once('error', reject)
      child.once('exit', code => reject(new Error(`exited (${code}): ${stderr.trim()}`)))
      lines.on('line', line => {
        const event = JSON.parse(line)
        if (event.kind === 'listening') resolve()
        else events.push(event)
      })
    })
  } catch (error) {
    await remove()
    throw new Error(`could not start a test host in a namespace of its own (${UNSHARE.join(' ')}): ${(error as Error).message}`, {cause: error})
  }

  // --preserve-credentials: the client keeps its own uid (mapped to root inside) instead of switching to 0
  const through = ['nsenter', '--user', '--net', '--preserve-credentials', '-t', String(child.pid)]
  return {
    address: TEST_HOST_ADDRESS,
    events,
    remove,
    runBin: (argv, options = {}) => runBin(argv, {...options, through}),
    runNode: (source, options = {}) => runScript('-e', [source], {...options, through}),
  }
}
