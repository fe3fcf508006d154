import type { DeleteOp, ObjectKey, PutOp, WriteCommand } from './commands.js'
import { sameJson } from './canonical.js'
import { immutableRefusal } from './immutable.js'
import type { Admission } from './service-ports.js'
import { admitServicePorts } from './service-ports.js'

/** An object as stored: the user's object plus what the cluster sets. */
export interface StoredObject extends ObjectKey {
  readonly object: Record<string, unknown>
  readonly uid: string
  /** The Raft index of its last change. */
  readonly resourceVersion: number
  /** Bumped when the object's spec (or a ConfigMap's or Secret's data) changes. */
  readonly generation: number
  readonly creationTimestamp: string
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED'

export interface Change {
  readonly type: ChangeType
  readonly index: number
  readonly object: StoredObject
}

export type WriteOutcome =
  | { readonly ok: true; readonly results: readonly ('created' | 'configured' | 'unchanged' | 'deleted')[] }
  /**
   * invalid: the state machine refused it (a Service's nodePort taken meanwhile, a change to an immutable
   * ConfigMap); `message` says why, `issue` names the field when there is one.
   */
  | { readonly ok: false; readonly reason: 'conflict' | 'notFound' | 'invalid'; readonly key: ObjectKey; readonly currentVersion: number; readonly message?: string; readonly issue?: FieldIssue }

type Refusal = Extract<WriteOutcome, { ok: false }>

/** A field of one object the state machine refused. */
export interface FieldIssue {
  readonly path: string
  readonly reason: string
}

export function objectKey(k: ObjectKey): string {
  return `${k.kind}/${k.namespace}/${k.name}`
}

/** The replicated object store: applied in log order on every node, so every node holds the same objects. */
export class ObjectStore {
  private readonly objects = new Map<string, StoredObject>()

  get(k: ObjectKey): StoredObject | undefined {
    return this.objects.get(objectKey(k))
  }

  list(kind: string, namespace?: string): StoredObject[] {
    const out: StoredObject[] = []
    for (const o of this.objects.values()) if (o.kind === kind && (namespace === undefined || o.namespace === namespace)) out.push(o)
    return out.sort((a, b) => (a.namespace + '/' + a.name < b.namespace + '/' + b.name ? -1 : 1))
  }

  get size(): number {
    return this.objects.size
  }

  /** Applies a command at a log index; returns its outcome and the changes it made (none when refused). */
  apply(cmd: WriteCommand, index: number): { outcome: WriteOutcome; changes: Change[] } {
    const admitted = this.accept(cmd.ops)
    if (!admitted.ok) return { outcome: admitted, changes: [] }
    const changes: Change[] = []
    const results: ('created' | 'configured' | 'unchanged' | 'deleted')[] = []
    for (const [i, op] of cmd.ops.entries()) {
      const key = objectKey(op)
      const current = this.objects.get(key)
      if (op.op === 'delete') {
        if (current) {
          this.objects.delete(key)
          changes.push({ type: 'DELETED', index, object: { ...current, resourceVersion: index } })
        }
        results.push('deleted')
        continue
      }
      const object = admitted.objects.get(i) ?? withOwnedStatus(op, current)
      if (current && sameJson(comparable(current.object), comparable(object))) {
        results.push('unchanged')
        continue
      }
      const stored: StoredObject = {
        kind: op.kind,
        namespace: op.namespace,
        name: op.name,
        object,
        uid: current?.uid ?? op.uid,
        resourceVersion: index,
        generation: current ? current.generation + (sameJson(generationBasis(current.object), generationBasis(op.object)) ? 0 : 1) : 1,
        creationTimestamp: current?.creationTimestamp ?? cmd.time,
      }
      this.objects.set(key, stored)
      changes.push({ type: current ? 'MODIFIED' : 'ADDED', index, object: stored })
      results.push(current ? 'configured' : 'created')
    }
    return { outcome: { ok: true, results }, changes }
  }

  /** What puts would do if applied now as one command (dry runs): the same refusals as apply, nothing changed. */
  preview(ops: readonly PutOp[]): { ok: true; results: ('created' | 'configured' | 'unchanged')[] } | Refusal {
    const admitted = this.accept(ops)
    if (!admitted.ok) return admitted
    const results = ops.map((op, i) => {
      const current = this.objects.get(objectKey(op))
      if (!current) return 'created' as const
      const object = admitted.objects.get(i) ?? withOwnedStatus(op, current)
      return sameJson(comparable(current.object), comparable(object)) ? ('unchanged' as const) : ('configured' as const)
    })
    return { ok: true, results }
  }

  /**
   * Immutable ConfigMaps and Secrets are kept as they are (src/state/immutable.ts), and Services get their
   * cluster ports here (src/state/service-ports.ts): in log order, so every node decides the same.
   */
  private admit(ops: readonly (PutOp | DeleteOp)[]): Admission | { ok: false; key: ObjectKey; message: string; issue: FieldIssue } {
    for (const op of ops) {
      const frozen = op.op === 'put' ? immutableRefusal(op, this.get(op)?.object) : undefined
      if (frozen) return { ok: false, key: frozen.key, message: `${objectKey(frozen.key)}: ${frozen.path}: ${frozen.reason}`, issue: { path: frozen.path, reason: frozen.reason } }
    }
    return admitServicePorts(ops, (k) => this.get(k), () => this.list('Service'), (op) => withOwnedStatus(op, this.get(op)))
  }

  /** Preconditions, then admission: the refusal of a command's ops, or the objects admission made of them. */
  private accept(ops: readonly (PutOp | DeleteOp)[]): Extract<Admission, { ok: true }> | Refusal {
    for (const op of ops) {
      const refusal = this.check(op)
      if (refusal) return refusal
    }
    const admitted = this.admit(ops)
    return admitted.ok ? admitted : this.invalid(admitted)
  }

  private invalid(a: { key: ObjectKey; message: string; issue?: FieldIssue }): Refusal {
    return { ok: false, reason: 'invalid', key: a.key, currentVersion: this.get(a.key)?.resourceVersion ?? 0, message: a.message, ...(a.issue ? { issue: a.issue } : {}) }
  }

  private check(op: PutOp | DeleteOp): Refusal | undefined {
    const current = this.objects.get(objectKey(op))
    const version = current?.resourceVersion ?? 0
    // Deleting what is not there is NotFound, with or without a precondition.
    if (op.op === 'delete' && !current) return { ok: false, reason: 'notFound', key: op, currentVersion: 0 }
    if (op.ifVersion !== undefined && op.ifVersion !== version) {
      return { ok: false, reason: 'conflict', key: op, currentVersion: version }
    }
    return undefined
  }

  toSnapshot(): StoredObject[] {
    return [...this.objects.values()]
  }

  restore(objects: readonly StoredObject[]): void {
    this.objects.clear()
    for (const o of objects) this.objects.set(objectKey(o), o)
  }
}

/** Annotations only controllers write (the Deployment controller's revision number). */
const CONTROLLER_ANNOTATIONS: readonly string[] = ['deployment.kubernetes.io/revision']

/**
 * A user's write keeps what controllers and agents wrote: the status, and the controller-owned
 * annotations the user's object does not set (so re-applying a manifest is "unchanged").
 */
function withOwnedStatus(op: PutOp, current: StoredObject | undefined): Record<string, unknown> {
  if (!op.keepStatus) return op.object
  const { status: _ignored, ...rest } = op.object
  const kept = current?.object.status === undefined ? rest : { ...rest, status: current.object.status }
  return withControllerAnnotations(kept, current)
}

function withControllerAnnotations(object: Record<string, unknown>, current: StoredObject | undefined): Record<string, unknown> {
  const had = (current?.object.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {}
  const meta = (object.metadata ?? {}) as { annotations?: Record<string, string> }
  const missing = CONTROLLER_ANNOTATIONS.filter((k) => had[k] !== undefined && meta.annotations?.[k] === undefined)
  if (missing.length === 0) return object
  const annotations: Record<string, string> = { ...meta.annotations }
  for (const k of missing) annotations[k] = had[k]!
  const sorted = Object.fromEntries(Object.keys(annotations).sort().map((k) => [k, annotations[k]!]))
  return { ...object, metadata: { ...meta, annotations: sorted } }
}

/** Sealed Secret data compares by its mac: the same plaintext sealed twice has another IV. */
function comparable(o: Record<string, unknown>): Record<string, unknown> {
  const sealed = o.sealedData as { mac?: string } | undefined
  return sealed ? { ...o, sealedData: sealed.mac } : o
}

/** What the user asks for, as opposed to labels, annotations or status. */
function generationBasis(o: Record<string, unknown>): unknown {
  return [o.spec, o.data, (o.sealedData as { mac?: string } | undefined)?.mac]
}
