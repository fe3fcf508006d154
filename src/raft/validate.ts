// Shape checks for messages from the network: the core never throws on input, so anything malformed
// is recognised here and counted (droppedInvalid) instead of reaching the handlers.
import type { Message, MessageType, NodeId } from './types.js'

type Fields = Record<string, unknown>

const isIndex = (x: unknown): boolean => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0
const isBytes = (x: unknown): boolean => x instanceof Uint8Array
const isBool = (x: unknown): boolean => typeof x === 'boolean'
const isIdList = (x: unknown): boolean => Array.isArray(x) && x.every((id) => typeof id === 'string' && id !== '')

/** Entries must follow prevIndex contiguously, with terms non-decreasing from prevTerm and at most the message's term. */
function validEntries(entries: unknown, prevIndex: number, prevTerm: number, term: number): boolean {
  if (!Array.isArray(entries)) return false
  let index = prevIndex
  let last = prevTerm
  for (const e of entries as unknown[]) {
    if (typeof e !== 'object' || e === null) return false
    const f = e as Fields
    if (f.index !== index + 1 || !isIndex(f.term) || !isBytes(f.data)) return false
    if ((f.term as number) < last || (f.term as number) > term) return false
    if (f.type !== 'normal' && f.type !== 'conf') return false
    index++
    last = f.term as number
  }
  return true
}

function validMetadata(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false
  const md = x as Fields
  if (!isIndex(md.index) || !isIndex(md.term) || typeof md.conf !== 'object' || md.conf === null) return false
  const conf = md.conf as Fields
  return isIdList(conf.voters) && isIdList(conf.learners)
}

function validBody(f: Fields): boolean {
  switch (f.type as MessageType) {
    case 'preVote':
    case 'vote':
      return isIndex(f.lastLogIndex) && isIndex(f.lastLogTerm) && isBool(f.transfer)
    case 'preVoteResp':
    case 'voteResp':
      return isBool(f.reject)
    case 'app':
      return isIndex(f.prevIndex) && isIndex(f.prevTerm) && isIndex(f.commit) &&
        validEntries(f.entries, f.prevIndex as number, f.prevTerm as number, f.term as number)
    case 'appResp':
      return isIndex(f.index) && isBool(f.reject) && isIndex(f.hintIndex) && isIndex(f.hintTerm)
    case 'heartbeat':
      return isIndex(f.commit) && isBytes(f.context)
    case 'heartbeatResp':
    case 'readIndex':
      return isBytes(f.context)
    case 'snap':
      return validMetadata(f.metadata) && isIndex(f.offset) && isIndex(f.totalBytes) && isBytes(f.data) &&
        (f.offset as number) + (f.data as Uint8Array).byteLength <= (f.totalBytes as number)
    case 'snapResp':
      return isIndex(f.snapshotIndex) && isIndex(f.received) && isBool(f.reject)
    case 'timeoutNow':
      return true
    case 'readIndexResp':
      return isIndex(f.index) && isBytes(f.context)
    default:
      return false
  }
}

/** Whether m is a well-formed message addressed to self from another node. */
export function isWellFormed(m: unknown, self: NodeId): m is Message {
  if (typeof m !== 'object' || m === null) return false
  const f = m as Fields
  if (typeof f.from !== 'string' || f.from === '' || f.from === self || f.to !== self) return false
  if (!isIndex(f.term)) return false
  return validBody(f)
}

const RESPONSES: ReadonlySet<MessageType> = new Set(['preVoteResp', 'voteResp', 'appResp', 'heartbeatResp', 'snapResp'])

/** Responses to requests a leader or candidate sent to members: ignored when from a non-member. */
export function isMemberResponse(m: Message): boolean {
  return RESPONSES.has(m.type)
}
