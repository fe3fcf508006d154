import type { ConfChange, Message } from '../types.js'

/** One short line per message, for the verbose trace. */
export function describeMessage(m: Message): string {
  const head = `${m.from} -> ${m.to} ${m.type} t${m.term}`
  switch (m.type) {
    case 'preVote':
    case 'vote':
      return `${head} last ${m.lastLogIndex}/${m.lastLogTerm}${m.transfer ? ' transfer' : ''}`
    case 'preVoteResp':
    case 'voteResp':
      return `${head} ${m.reject ? 'reject' : 'grant'}`
    case 'app':
      return `${head} prev ${m.prevIndex}/${m.prevTerm} +${m.entries.length} commit ${m.commit}`
    case 'appResp':
      return `${head} ${m.reject ? `reject ${m.index} hint ${m.hintIndex}/${m.hintTerm}` : `ok ${m.index}`}`
    case 'heartbeat':
      return `${head} commit ${m.commit}`
    case 'snap':
      return `${head} snapshot ${m.metadata.index}/${m.metadata.term} bytes ${m.offset}+${m.data.length}/${m.totalBytes}`
    case 'snapResp':
      return `${head} snapshot ${m.snapshotIndex} ${m.reject ? 'reject' : `received ${m.received}`}`
    case 'readIndexResp':
      return `${head} index ${m.index}`
    case 'heartbeatResp':
    case 'timeoutNow':
    case 'readIndex':
      return head
  }
}

export function describeChange(cc: ConfChange): string {
  return `${cc.type} ${cc.node}`
}
