import type { Change } from '../../state/store.js'
import type { ObjectApiDeps } from './context.js'
import { ApiFailure } from './errors.js'
import { parseVersion } from './object-input.js'
import { labelsOf, renderObject } from './render.js'
import { kindOf, selectorOf } from './routes-objects.js'
import type { ApiRequest, ResponseSink, Route } from './server.js'

export interface WatchOptions {
  /** Idle streams get a BOOKMARK line this often. Default 10 s. */
  readonly bookmarkMs?: number
}

export interface WatchRoutes {
  readonly routes: Route[]
  /** Streams open now. */
  open(): number
}

/**
 * GET /v1/watch?kind=K&resourceVersion=N: newline-delimited JSON, one line per change after N in log order,
 * history first (from the node's bounded window, 410 Gone when N is older) then live changes. Reading the
 * history and subscribing happen in one synchronous step, so no change is missed or sent twice.
 */
export function watchRoutes(deps: () => ObjectApiDeps, opts: WatchOptions = {}): WatchRoutes {
  let open = 0
  const bookmarkMs = opts.bookmarkMs ?? 10_000
  const handler = async (req: ApiRequest, res: ResponseSink) => {
    const d = deps()
    const k = kindOf(req.query.get('kind') ?? undefined)
    const selector = selectorOf(req)
    const ns = k.namespaced ? req.query.get('namespace') || undefined : undefined
    const reveal = req.query.get('reveal') === 'true'
    const from = parseVersion(req.query.get('resourceVersion'), 'resourceVersion') ?? d.state.applied
    const past = d.state.history.since(from)
    if (!past.ok) throw new ApiFailure('Gone', `resourceVersion ${from} is older than this node's watch history (it starts after ${past.oldest}); list again and watch from the list's resourceVersion`, { oldest: String(past.oldest) })

    const line = (type: string, object: unknown) => res.write(JSON.stringify({ type, object }) + '\n')
    const send = (changes: readonly Change[]) => {
      for (const c of changes) {
        const o = c.object
        if (c.index <= from || o.kind !== k.kind || (ns !== undefined && o.namespace !== ns)) continue
        if (selector && !selector.matches(labelsOf(o))) continue
        line(c.type, renderObject(o, k.apiVersion, d.secrets, { reveal }))
      }
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' })
    res.flushHeaders?.()
    send(past.changes)
    const offChange = d.state.onChange(send)
    const offRestore = d.state.onRestore((index) => {
      line('ERROR', { code: 410, reason: 'Expired', message: `this node installed a snapshot at ${index}; list again and watch from there` })
      res.end()
    })
    const timer = setInterval(() => line('BOOKMARK', { metadata: { resourceVersion: String(d.state.applied) } }), bookmarkMs)
    open++
    res.on('close', () => {
      open--
      offChange()
      offRestore()
      clearInterval(timer)
    })
    return { streamed: true } as const
  }
  return { routes: [{ method: 'GET', path: '/v1/watch', name: 'watch', handler }], open: () => open }
}
