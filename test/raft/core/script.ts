// A tiny data-driven test language (after etcd-io/raft's interaction tests). A script is a list of
// blocks: a command line, "----", then the expected output, then a blank line. CORE_REWRITE=1 rewrites
// the expected output from the actual one. Commands:
//   nodes a b c [prevote=false checkquorum=false]   start voters with a shared initial configuration
//   campaign a | tick a [n] | tickall [n] | propose a DATA | read a CTX | transfer a b
//   conf a addVoter|addLearner|remove b | deliver [n] | process a | stabilize | cut a | heal | status a
import type { Message } from '../../../src/raft/types.js'
import { Cluster, bytes } from './cluster.js'

export interface Block {
  /** Comment lines ('# ...') before the command, kept when the script is rewritten. */
  readonly comments: readonly string[]
  readonly command: string
  readonly expected: string
}

export function parseScript(text: string): Block[] {
  const blocks: Block[] = []
  const lines = text.split('\n')
  let comments: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const command = lines[i].trim()
    if (command === '') continue
    if (command.startsWith('#')) {
      comments.push(command)
      continue
    }
    if (lines[i + 1]?.trim() !== '----') throw new Error(`line ${i + 2}: expected ----`)
    const out: string[] = []
    for (i += 2; i < lines.length && lines[i].trim() !== ''; i++) out.push(lines[i])
    blocks.push({ comments, command, expected: out.join('\n') })
    comments = []
  }
  return blocks
}

export function formatScript(blocks: readonly Block[]): string {
  return blocks
    .map((b) => [...b.comments, b.command, '----', b.expected === '' ? 'ok' : b.expected].join('\n') + '\n')
    .join('\n')
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b)

export function describe(m: Message): string {
  const head = `${m.from}->${m.to} ${m.type} t${m.term}`
  switch (m.type) {
    case 'preVote':
    case 'vote':
      return `${head} last=${m.lastLogIndex}/${m.lastLogTerm}${m.transfer ? ' transfer' : ''}`
    case 'preVoteResp':
    case 'voteResp':
      return `${head}${m.reject ? ' reject' : ''}`
    case 'app':
      return `${head} prev=${m.prevIndex}/${m.prevTerm} commit=${m.commit} [${m.entries.map((e) => `${e.index}/${e.term}${e.data.byteLength > 0 && e.type === 'normal' ? ':' + text(e.data) : e.type === 'conf' ? ':conf' : ''}`).join(' ')}]`
    case 'appResp':
      return `${head} index=${m.index}${m.reject ? ` reject hint=${m.hintIndex}/${m.hintTerm}` : ''}`
    case 'heartbeat':
      return `${head} commit=${m.commit}${m.context.byteLength > 0 ? ' ctx=' + text(m.context) : ''}`
    case 'heartbeatResp':
    case 'readIndex':
      return `${head}${m.context.byteLength > 0 ? ' ctx=' + text(m.context) : ''}`
    case 'readIndexResp':
      return `${head} index=${m.index} ctx=${text(m.context)}`
    case 'snap':
      return `${head} snap=${m.metadata.index}/${m.metadata.term} off=${m.offset}/${m.totalBytes}`
    case 'snapResp':
      return `${head} snap=${m.snapshotIndex} received=${m.received}${m.reject ? ' reject' : ''}`
    case 'timeoutNow':
      return head
  }
}

export class ScriptRunner {
  private c: Cluster | undefined
  private cut = new Set<string>()

  private get cluster(): Cluster {
    if (this.c === undefined) throw new Error('no nodes yet')
    return this.c
  }

  run(command: string): string {
    const [op, ...args] = command.split(/\s+/)
    const out: string[] = []
    const c = this.c
    const before = c?.delivered.length ?? 0
    this.exec(op, args, out)
    const after = this.c?.delivered ?? []
    for (const m of after.slice(c === this.c ? before : 0)) out.push(describe(m))
    return out.join('\n')
  }

  private exec(op: string, args: string[], out: string[]): void {
    const node = (i: number) => this.cluster.get(args[i]).node
    switch (op) {
      case 'nodes': {
        const ids = args.filter((a) => !a.includes('='))
        const flags = Object.fromEntries(args.filter((a) => a.includes('=')).map((a) => a.split('=')))
        this.c = Cluster.withVoters(ids, 1, { preVote: flags['prevote'] !== 'false', checkQuorum: flags['checkquorum'] !== 'false' })
        this.c.drop = (m) => this.cut.has(m.from) || this.cut.has(m.to)
        return
      }
      case 'campaign': return node(0).campaign()
      case 'tick': return this.cluster.tick(args[0], Number(args[1] ?? 1))
      case 'tickall': return this.cluster.tickAll(Number(args[0] ?? 1))
      case 'propose': return void out.push(JSON.stringify(node(0).propose(bytes(args[1]))))
      case 'read': return void out.push(JSON.stringify(node(0).readIndex(bytes(args[1]))))
      case 'transfer': return void out.push(JSON.stringify(node(0).transferLeadership(args[1])))
      case 'conf': return void out.push(JSON.stringify(node(0).proposeConfChange({ type: args[1] as 'remove', node: args[2] })))
      case 'deliver': {
        for (let i = 0; i < Number(args[0] ?? 1); i++) this.cluster.deliver()
        return
      }
      case 'process': return void this.cluster.processReady(args[0])
      case 'stabilize': return this.cluster.stabilize()
      case 'cut': return void this.cut.add(args[0])
      case 'heal': return this.cut.clear()
      case 'status': {
        const st = node(0).status()
        const reads = this.cluster.get(args[0]).readStates.map((r) => `${r.index}:${text(r.context)}`)
        out.push(`${st.id} ${st.role} term=${st.term} lead=${st.leader || '-'} commit=${st.commit} applied=${st.applied} last=${st.lastIndex}${reads.length > 0 ? ' reads=' + reads.join(',') : ''}`)
        return
      }
      default:
        throw new Error(`unknown command ${op}`)
    }
  }
}
