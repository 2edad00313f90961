/** Wait `ms`, or less when `signal` aborts first; never rejects. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>(resolve => {
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, {once: true})
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
  })
}

/**
 * Run `fn` with a signal that aborts when `signal` does, or once `ms` have
 * passed (reason: a TimeoutError). Not AbortSignal.any with
 * AbortSignal.timeout: on Node 20 a garbage collection in between can drop
 * the timeout signal, and the combined one then never aborts (a watch with
 * --stop-after ran on under load). The timer is cleared when `fn` settles.
 */
export async function withDeadline<T>(signal: AbortSignal, ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  const stop = () => controller.abort(signal.reason)
  signal.addEventListener('abort', stop, {once: true})
  if (signal.aborted) stop()
  const timer = setTimeout(() => controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError')), ms)
  try {
    return await fn(controller.signal)
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', stop)
  }
}
