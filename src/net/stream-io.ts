// Small helpers over libp2p 3 streams (event-based MessageStreams, not it-pipe duplexes).
import type { Stream } from '@libp2p/interface'

/** Calls fn with each inbound chunk, flattening Uint8ArrayLists without copying. */
export function onChunks (stream: Stream, fn: (chunk: Uint8Array) => void): void {
  stream.addEventListener('message', evt => {
    const data = evt.data
    if (data instanceof Uint8Array) {
      fn(data)
      return
    }
    for (const buf of data) fn(buf)
  })
}

/** Sends bytes, then waits until the stream accepts more. Throws when the stream is closed or reset. */
export async function sendWithBackpressure (stream: Stream, bytes: Uint8Array): Promise<void> {
  if (!stream.send(bytes)) await stream.onDrain()
}

/** Closes gracefully, falling back to abort if the remote does not cooperate within timeoutMs. */
export async function closeQuietly (stream: Stream, timeoutMs = 1000): Promise<void> {
  try {
    await stream.close({ signal: AbortSignal.timeout(timeoutMs) })
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
  }
}
