import dns, {LookupAddress, LookupOptions} from 'node:dns'
import net from 'node:net'

type Callback = (error: NodeJS.ErrnoException | null, address: LookupAddress[] | string, family?: number) => void

/**
 * Make made-up host names resolve to loopback addresses in this process, so
 * a test can show what the plugin does with a host that is not loopback by
 * name, without any packet leaving the machine. Every other name fails with
 * ENOTFOUND: no DNS query is ever sent. Returns the function that undoes it.
 */
export function installFakeDns(table: Record<string, string>): () => void {
  for (const address of Object.values(table)) {
    if (!address.startsWith('127.')) throw new Error(`fake DNS maps only to 127.0.0.0/8, not ${address}`)
  }

  const original = dns.lookup
  const fake = (hostname: string, options: Callback | LookupOptions | number, callback?: Callback): void => {
    const done = (typeof options === 'function' ? options : callback)!
    const all = typeof options === 'object' && options.all
    const address = net.isIP(hostname) ? hostname : (table[hostname] ?? (hostname === 'localhost' ? '127.0.0.1' : undefined))
    process.nextTick(() => {
      if (!address) {
        done(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {code: 'ENOTFOUND', hostname}), '')
        return
      }

      const family = net.isIP(address)
      if (all) done(null, [{address, family}])
      else done(null, address, family)
    })
  }

  dns.lookup = fake as typeof dns.lookup
  return () => {
    dns.lookup = original
  }
}
