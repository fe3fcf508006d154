// libp2p 3 calls Promise.withResolvers (ES2024), which Node 20 lacks.
// Import this module before anything that loads libp2p.

interface Resolvers<T> {
  promise: Promise<T>
  resolve: (value: T | PromiseLike<T>) => void
  reject: (reason?: unknown) => void
}

type PromiseCtorWithResolvers = PromiseConstructor & {
  withResolvers?: <T>() => Resolvers<T>
}

const P = Promise as PromiseCtorWithResolvers
if (typeof P.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T> (this: PromiseConstructor): Resolvers<T> {
      let resolve!: Resolvers<T>['resolve']
      let reject!: Resolvers<T>['reject']
      const promise = new this<T>((res, rej) => { resolve = res; reject = rej })
      return { promise, resolve, reject }
    }
  })
}

export {}
