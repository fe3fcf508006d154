// Cheap shape checks for Messages arriving from the wire: a peer running a buggy or
// different version must not feed the Raft core values of the wrong type.
import type { Message, MessageType } from '../raft/types.js'

type FieldKind = 'uint' | 'bool' | 'bytes' | 'entries' | 'snapMeta'

const HEADER: Record<string, FieldKind> = {}

const SCHEMAS: Record<MessageType, Record<string, FieldKind>> = {
  preVote: { lastLogIndex: 'uint', lastLogTerm: 'uint', transfer: 'bool' },
  vote: { lastLogIndex: 'uint', lastLogTerm: 'uint', transfer: 'bool' },
  preVoteResp: { reject: 'bool' },
  voteResp: { reject: 'bool' },
  app: { prevIndex: 'uint', prevTerm: 'uint', entries: 'entries', commit: 'uint' },
  appResp: { index: 'uint', reject: 'bool', hintIndex: 'uint', hintTerm: 'uint' },
  heartbeat: { commit: 'uint', context: 'bytes' },
  heartbeatResp: { context: 'bytes' },
  snap: { metadata: 'snapMeta', offset: 'uint', totalBytes: 'uint', data: 'bytes' },
  snapResp: { snapshotIndex: 'uint', received: 'uint', reject: 'bool' },
  timeoutNow: HEADER,
  readIndex: { context: 'bytes' },
  readIndexResp: { index: 'uint', context: 'bytes' }
}

/** Returns why `x` is not a valid Message, or undefined when it is one. */
export function invalidMessageReason (x: unknown): string | undefined {
  if (!isRecord(x)) return 'not a map'
  const type = x.type
  if (typeof type !== 'string' || !Object.hasOwn(SCHEMAS, type)) return 'unknown type'
  if (typeof x.from !== 'string' || x.from === '') return 'bad from'
  if (typeof x.to !== 'string') return 'bad to'
  if (!isUint(x.term)) return 'bad term'
  const schema = SCHEMAS[type as MessageType]
  for (const field in schema) {
    if (!checkField(schema[field] as FieldKind, x[field])) return `bad ${field}`
  }
  return undefined
}

export function isMessage (x: unknown): x is Message {
  return invalidMessageReason(x) === undefined
}

function checkField (kind: FieldKind, v: unknown): boolean {
  switch (kind) {
    case 'uint': return isUint(v)
    case 'bool': return typeof v === 'boolean'
    case 'bytes': return v instanceof Uint8Array
    case 'entries': return Array.isArray(v) && v.every(isEntry)
    case 'snapMeta': return isSnapMeta(v)
  }
}

function isEntry (e: unknown): boolean {
  return isRecord(e) && isUint(e.term) && isUint(e.index) &&
    (e.type === 'normal' || e.type === 'conf') && e.data instanceof Uint8Array
}

function isSnapMeta (m: unknown): boolean {
  if (!isRecord(m) || !isUint(m.index) || !isUint(m.term) || !isRecord(m.conf)) return false
  return isStringArray(m.conf.voters) && isStringArray(m.conf.learners)
}

function isStringArray (v: unknown): boolean {
  return Array.isArray(v) && v.every(s => typeof s === 'string')
}

function isUint (v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
}

function isRecord (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array)
}
