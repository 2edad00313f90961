import {
  ChildProcess, execFile, execFileSync, spawn,
} from 'node:child_process'
import {createInterface} from 'node:readline'
import {promisify} from 'node:util'

const run = promisify(execFile)

/**
 * A test host that is not loopback: a network namespace created for the
 * test, joined to this one by a veth pair with link-local addresses (never
 * 169.254.169.0/24, where clouds keep their metadata service). Traffic to it
 * stays on this machine; before anything connects, the route to it is
 * checked to go through our veth and nowhere else. Needs root and iproute2.
 */
export interface TestHost {
  /** the host's address, inside the namespace */
  address: string
  namespace: string
  remove(): Promise<void>
  /** start a PostgreSQL stand-in on the host that offers no SSL and reports what clients send */
  startPlaintextServer(port: number): Promise<PlaintextServer>
}

export interface PlaintextServer {
  /** what each connection opened with: an SSLRequest, or a plaintext startup message (whose text is kept) */
  events: Array<{kind: 'plaintext'; text: string} | {kind: 'ssl-request'}>
  stop(): void
}

async function ip(...args: string[]): Promise<string> {
  return (await run('ip', args)).stdout
}

export async function createTestHost(): Promise<TestHost> {
  const {pid} = process
  const namespace = `heroku-actions-test-${pid}`
  const outside = `hat${pid}a`
  const inside = `hat${pid}b`
  const forget = () => {
    try {
      execFileSync('ip', ['link', 'del', outside], {stdio: 'ignore'})
    } catch {}

    try {
      execFileSync('ip', ['netns', 'del', namespace], {stdio: 'ignore'})
    } catch {}
  }

  process.on('exit', forget)
  const remove = async () => {
    process.off('exit', forget)
    await ip('link', 'del', outside).catch(() => '')
    await ip('netns', 'del', namespace).catch(() => '')
  }

  try {
    await ip('netns', 'add', namespace)
    await ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside, 'netns', namespace)
    await ip('-n', namespace, 'link', 'set', 'lo', 'up')
    const address = await addresses(namespace, outside, inside, pid)
    return {
      address, namespace, remove, startPlaintextServer: port => startPlaintextServer(namespace, address, port),
    }
  } catch (error) {
    await remove()
    throw new Error(`could not create a test host in a network namespace (this needs root and iproute2): ${(error as Error).message}`)
  }
}

/** A free /30 of 169.254.200.0 to 169.254.249.255, whose route goes through our veth. */
async function addresses(namespace: string, outside: string, inside: string, seed: number): Promise<string> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const third = 200 + ((seed + attempt) % 50)
    const fourth = ((Math.floor(seed / 50) + (attempt * 7)) % 64) * 4
    const [near, far] = [`169.254.${third}.${fourth + 1}`, `169.254.${third}.${fourth + 2}`]
    if ((await ip('-4', 'route', 'show', 'match', far)).split('\n').some(line => line.trim() !== '' && !line.startsWith('default'))) continue
    await ip('addr', 'add', `${near}/30`, 'dev', outside)
    await ip('link', 'set', outside, 'up')
    await ip('-n', namespace, 'addr', 'add', `${far}/30`, 'dev', inside)
    await ip('-n', namespace, 'link', 'set', inside, 'up')
    const route = await ip('route', 'get', far)
    if (!route.includes(`dev ${outside} `)) throw new Error(`the route to ${far} does not go through ${outside}: ${route.trim()}`)
    return far
  }

  throw new Error('no free link-local /30 found')
}

// Runs inside the namespace: answers an SSLRequest with N, as a server
// without SSL does, and reports each connection's opening on stdout.
const SERVER = `
const net = require('node:net')
const [host, port] = process.argv.slice(1)
const report = event => process.stdout.write(JSON.stringify(event) + '\\n')
net.createServer(socket => {
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
}).listen(Number(port), host, () => report({kind: 'listening'}))
`

async function startPlaintextServer(namespace: string, address: string, port: number): Promise<PlaintextServer> {
  const child: ChildProcess = spawn('ip', ['netns', 'exec', namespace, process.execPath, '-e', SERVER, address, String(port)], {stdio: ['ignore', 'pipe', 'pipe']})
  const events: PlaintextServer['events'] = []
  const lines = createInterface({input: child.stdout!})
  await new Promise<void>((resolve, reject) => {
    let stderr = ''
    child.stderr!.on('data', chunk => {
      stderr += chunk
    })
    child.once('exit', code => reject(new Error(`the plaintext server in ${namespace} exited (${code}): ${stderr}`)))
    lines.on('line', line => {
      const event = JSON.parse(line)
      if (event.kind === 'listening') resolve()
      else events.push(event)
    })
  })
  return {events, stop: () => child.kill()}
}
