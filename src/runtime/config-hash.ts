// A short hash of everything that shapes a pod's containers. Docker labels carry it, so an agent
// that restarts adopts containers made from the same spec and replaces those made from another.
import { createHash } from 'node:crypto'
import { canonicalJson } from '../state/canonical.js'
import type { RuntimePod } from './types.js'

export function podConfigHash (pod: RuntimePod): string {
  const files: Record<string, Record<string, string>> = {}
  for (const [vol, entries] of Object.entries(pod.files)) {
    files[vol] = Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, Buffer.from(v).toString('base64')]))
  }
  const text = canonicalJson({ spec: pod.spec, env: pod.env, files, name: pod.name, namespace: pod.namespace })
  return createHash('sha256').update(text).digest('hex').slice(0, 16)
}
