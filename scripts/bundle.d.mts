// Types of bundle.mjs, for the tests that check its stubs (test/plugin/bundle.test.ts)
export interface LazyModule {
  exports: Record<string, 'async' | 'sync'>
  owner: string
}

export const LAZY: Record<string, LazyModule>
export function lazyStub(name: string, spec: LazyModule): string
export function bundle(): Promise<void>
