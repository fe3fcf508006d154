import type { Change } from '../../state/store.js'
import type { ObjectApiDeps } from './context.js'
import { ApiFailure } from './errors.js'
import { parseVersion } from './object-input.js'
import { renderObject } from './render.js'
import { kindOf, selectorOf } from './routes-objects.js'
import type { ApiRequest, ResponseSink, Route } from './server.js'
import { SelectorVisibility } from './watch-visibility.js'

export interface WatchOptions {
  /** Idle streams get a BOOKMARK line this often. Default 10 s. */
  readonly bookmarkMs?: number
  /** A reader this far behind (bytes written while the socket would take no more) is cut off. Default 8 MiB. */
  readonly maxBacklogBytes?: number
  /** After the cut-off's ERROR line, how long the reader has to take it before the socket is destroyed. Default 10 s. */
  readonly cutOffGraceMs?: number
}

/** The final line to a reader that fell too far behind: it watches again from the last resourceVersion it received. */
export const TOO_SLOW_REASON = 'TooSlow'

export interface WatchRoutes {
  readonly routes: Route[]
  /** Streams open now. */
  open(): number
}

/**
 * GET /v1/watch?kind=K&resourceVersion=N: newline-delimited JSON, one line per change after N in log order,
 * history first (from the node's bounded window, 410 Gone when N is older) then live changes. Reading the
 * history and subscribing happen in one synchronous step, so no change is missed or sent twice.
 * With a label selector, objects entering and leaving the selection arrive as ADDED and DELETED
 * (watch-visibility.ts). A reader that does not keep up is cut off with an ERROR line (reason TooSlow)
 * once its backlog passes maxBacklogBytes: the server never buffers without bound. The history replay
 * does not count toward the backlog (the history is bounded already).
 */
export function watchRoutes(deps: () => ObjectApiDeps, opts: WatchOptions = {}): WatchRoutes {
  let open = 0
  const bookmarkMs = opts.bookmarkMs ?? 10_000
  const maxBacklogBytes = opts.maxBacklogBytes ?? 8 * 1024 * 1024
  const cutOffGraceMs = opts.cutOffGraceMs ?? 10_000
  const handler = async (req: ApiRequest, res: ResponseSink) => {
    const d = deps()
    const kind = req.query.get('kind')
    if (!kind) throw new ApiFailure('BadRequest', 'a watch needs ?kind= (pods, deployments, services, configmaps, secrets or nodes)')
    const k = kindOf(kind)
    const selector = selectorOf(req)
    const ns = k.namespaced ? req.query.get('namespace') || undefined : undefined
    const reveal = req.query.get('reveal') === 'true'
    const from = parseVersion(req.query.get('resourceVersion'), 'resourceVersion') ?? d.state.applied
    const past = d.state.history.since(from)
    if (!past.ok) throw new ApiFailure('Gone', `resourceVersion ${from} is older than this node's watch history (it starts after ${past.oldest}); list again and watch from the list's resourceVersion`, { oldest: String(past.oldest) })

    const visibility = selector ? new SelectorVisibility(selector, d.state.store.list(k.kind, ns), from, past.changes) : undefined
    const backlog = new Backlog(res, maxBacklogBytes)
    let done = false
    const line = (type: string, object: unknown) => {
      if (done) return
      backlog.write(JSON.stringify({ type, object }) + '\n')
      if (!backlog.exceeded) return
      finish()
      res.write(JSON.stringify({ type: 'ERROR', object: { code: 429, reason: TOO_SLOW_REASON, message: `this watch fell more than ${maxBacklogBytes} bytes behind (its reader does not keep up): watch again from the last resourceVersion received` } }) + '\n')
      // The socket, not the response: the response lets go of it once it has handed everything over.
      // (A watch's connection is never reused: its head says `connection: close`.)
      const socket = (res as ResponseSink & { socket?: { destroy(): void } | null }).socket
      res.end()
      if (socket) setTimeout(() => socket.destroy(), cutOffGraceMs).unref()
    }
    const send = (changes: readonly Change[]) => {
      for (const c of changes) {
        if (done) return
        const o = c.object
        if (c.index <= from || o.kind !== k.kind || (ns !== undefined && o.namespace !== ns)) continue
        const type = visibility ? visibility.eventFor(c) : c.type
        if (type) line(type, renderObject(o, k.apiVersion, d.secrets, { reveal }))
      }
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store', connection: 'close' })
    res.flushHeaders?.()
    send(past.changes)
    // Counted from here: the replay is bounded by the history already (and `finish` exists from here on).
    backlog.start()
    const offChange = d.state.onChange(send)
    const offRestore = d.state.onRestore((index) => {
      line('ERROR', { code: 410, reason: 'Expired', message: `this node installed a snapshot at ${index}; list again and watch from there` })
      res.end()
    })
    const timer = setInterval(() => line('BOOKMARK', { metadata: { resourceVersion: String(d.state.applied) } }), bookmarkMs)
    open++
    const finish = () => {
      if (done) return
      done = true
      open--
      offChange()
      offRestore()
      clearInterval(timer)
    }
    res.on('close', finish)
    return { streamed: true } as const
  }
  return { routes: [{ method: 'GET', path: '/v1/watch', name: 'watch', handler }], open: () => open }
}

/**
 * Bytes written since the socket last said it would take no more ('drain' ends that). Writes go on
 * meanwhile (they queue in memory): past the limit the reader is too slow.
 */
class Backlog {
  private behind = 0
  private blocked = false
  private counting = false

  constructor(
    private readonly res: ResponseSink,
    private readonly limit: number,
  ) {}

  get exceeded(): boolean {
    return this.behind > this.limit
  }

  write(text: string): void {
    const ok = this.res.write(text)
    if (this.blocked) this.behind += this.counting ? Buffer.byteLength(text) : 0
    else if (!ok) {
      this.blocked = true
      this.res.once?.('drain', () => {
        this.blocked = false
        this.behind = 0
      })
    }
  }

  start(): void {
    this.counting = true
  }
}
