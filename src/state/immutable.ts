// Immutable ConfigMaps and Secrets, in the state machine: once a stored one says `immutable: true`, a put
// may change its metadata only (Kubernetes' rule). Decided from the stored object and the op alone, so
// every node applying the log refuses the same writes. A Secret's data is sealed with a fresh IV on
// every write: it compares by the mac of its plaintext, never decrypted here.
import type { ObjectKey, PutOp } from './commands.js'
import { sameJson } from './canonical.js'

type Json = Record<string, unknown>

/** The fields an immutable object keeps, per kind; `sealedData` is the Secret's data (and stringData) as stored. */
const FROZEN: Readonly<Record<string, readonly string[]>> = {
  ConfigMap: ['data', 'binaryData', 'immutable'],
  Secret: ['sealedData', 'type', 'immutable'],
}

/** The name a frozen field has in the user's manifest. */
const shownAs = (field: string) => (field === 'sealedData' ? 'data' : field)

export interface ImmutableRefusal {
  readonly key: ObjectKey
  readonly path: string
  readonly reason: string
}

/** The first frozen field a put would change, or undefined when the put may go ahead. */
export function immutableRefusal(op: PutOp, stored: Json | undefined): ImmutableRefusal | undefined {
  const fields = FROZEN[op.kind]
  if (!fields || stored?.immutable !== true) return undefined
  for (const f of fields) {
    if (sameJson(comparable(stored[f]), comparable(op.object[f]))) continue
    return { key: { kind: op.kind, namespace: op.namespace, name: op.name }, path: shownAs(f), reason: 'field is immutable when immutable is set' }
  }
  return undefined
}

/** Sealed data compares by its mac. */
function comparable(v: unknown): unknown {
  return typeof v === 'object' && v !== null && typeof (v as { mac?: unknown }).mac === 'string' ? (v as { mac: string }).mac : v
}
