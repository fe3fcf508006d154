// Docker events for this node's containers ("die"), so a killed container is restarted at once rather
// than at the next resync. The stream reconnects with backoff and replays from the last event seen.
import type Docker from 'dockerode'
import type { RuntimeLogger } from '../driver.js'
import { errorMessage } from '../errors.js'
import { labelFilter } from './labels.js'

export interface DockerEvent {
  readonly id: string
  readonly action: string
  readonly labels: Readonly<Record<string, string>>
  /** Seconds, for `since` on reconnect. */
  readonly time: number
}

export class EventWatcher {
  private stream: NodeJS.ReadableStream | undefined
  private since: number | undefined
  private closed = false
  private retryMs = 250
  private timer: NodeJS.Timeout | undefined

  constructor (private readonly docker: Docker, private readonly nodeId: string, private readonly onEvent: (e: DockerEvent) => void, private readonly log: RuntimeLogger) {}

  /** Resolves once the first stream is open (events after this are not missed). */
  async start (): Promise<void> {
    await this.connect()
  }

  close (): void {
    this.closed = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    const s = this.stream as unknown as { destroy?: () => void } | undefined
    s?.destroy?.()
  }

  private async connect (): Promise<void> {
    const filters = JSON.stringify({ type: ['container'], event: ['die'], label: labelFilter(this.nodeId) })
    const stream = await this.docker.getEvents({ filters, ...(this.since !== undefined ? { since: this.since } : {}) })
    if (this.closed) { (stream as unknown as { destroy: () => void }).destroy(); return }
    this.stream = stream
    this.retryMs = 250
    let buf = ''
    stream.on('data', (chunk: Buffer) => {
      buf += chunk.toString()
      let nl: number
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim()
        buf = buf.slice(nl + 1)
        if (line !== '') this.line(line)
      }
    })
    const lost = (): void => { if (this.stream === stream) { this.stream = undefined; this.reconnect() } }
    stream.on('end', lost)
    stream.on('close', lost)
    stream.on('error', err => { this.log.warn({ err: errorMessage(err) }, 'the Docker event stream failed'); lost() })
  }

  private line (line: string): void {
    try {
      const e = JSON.parse(line) as { Action?: string, status?: string, id?: string, time?: number, Actor?: { ID?: string, Attributes?: Record<string, string> } }
      const id = e.Actor?.ID ?? e.id
      if (id === undefined) return
      if (typeof e.time === 'number') this.since = e.time
      this.onEvent({ id, action: e.Action ?? e.status ?? '', labels: e.Actor?.Attributes ?? {}, time: e.time ?? 0 })
    } catch (err) {
      this.log.warn({ err: errorMessage(err) }, 'an unreadable Docker event')
    }
  }

  private reconnect (): void {
    if (this.closed) return
    const delay = this.retryMs
    this.retryMs = Math.min(this.retryMs * 2, 5000)
    this.timer = setTimeout(() => {
      this.connect().catch(err => {
        this.log.warn({ err: errorMessage(err), retryMs: this.retryMs }, 'reconnecting to Docker events failed')
        this.reconnect()
      })
    }, delay)
    this.timer.unref()
  }
}
