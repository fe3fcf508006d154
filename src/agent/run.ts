import { hostname } from 'node:os'
import { multiaddrHostPort, parseHostPort, type HostPort } from './address.js'
import { Agent, type AgentMode } from './agent.js'
import type { AgentFlags, JoinFlags } from './cli.js'
import { UsageError } from './errors.js'
import { createLogger } from './logger.js'
import { nodeOptions } from './node-options.js'

export async function runStart(flags: AgentFlags): Promise<void> {
  await run(flags, { kind: 'start' })
}

export async function runJoin(peer: string, flags: JoinFlags): Promise<void> {
  await run(flags, { kind: 'join', peer: peerMultiaddr(peer), token: flags.token })
}

function peerMultiaddr(peer: string): string {
  if (peer.startsWith('/')) return peer
  const hp = parseHostPort(peer, 7000, 'peer')
  return hp.host.includes(':') ? `/ip6/${hp.host}/tcp/${hp.port}` : /^\d+\.\d+\.\d+\.\d+$/.test(hp.host) ? `/ip4/${hp.host}/tcp/${hp.port}` : `/dns/${hp.host}/tcp/${hp.port}`
}

function positiveNumber(text: string, flag: string): number {
  const n = Number(text)
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} "${text}": must be a positive number`)
  return n
}

async function run(flags: AgentFlags, mode: AgentMode): Promise<void> {
  const log = createLogger({ level: flags.logLevel, ...(flags.logFormat ? { format: flags.logFormat } : {}) })
  const listen = parseHostPort(flags.listen, 7000, '--listen')
  const api = parseHostPort(flags.api, 7070, '--api')
  const advertise: HostPort | undefined = flags.advertise ? parseHostPort(flags.advertise, listen.port, '--advertise') : undefined
  const agent = await Agent.open({
    dataDir: flags.dataDir,
    listen,
    ...(advertise ? { advertise } : {}),
    api,
    name: flags.name ?? hostname(),
    tickMs: positiveNumber(flags.tickMs, '--tick-ms'),
    voterGraceMs: positiveNumber(flags.voterGrace, '--voter-grace') * 1000,
    node: nodeOptions(flags, {}),
    log,
    mode,
  })
  announce(agent)
  await new Promise<void>((resolve) => {
    const stop = (why: string) => {
      log.info({ why }, 'stopping')
      void agent.close().then(resolve, resolve)
    }
    process.once('SIGINT', () => stop('SIGINT'))
    process.once('SIGTERM', () => stop('SIGTERM'))
    agent.once('left', () => stop('left the cluster'))
  })
  log.info('stopped')
  // Exit now rather than when the last stray timer of a library fires (libp2p's address manager keeps
  // one for a second): a restart should be as quick as the agent's own shutdown.
  await new Promise<void>((resolve) => log.flush(() => resolve()))
  process.exit(0)
}

function announce(agent: Agent): void {
  const where = multiaddrHostPort(agent.mesh.addresses()[0] ?? '')
  const lines = [`podmesh agent ${agent.name} (${agent.id})`, `  mesh ${where}   api http://${agent.cfg.api.host}:${agent.cfg.api.port}   data ${agent.paths.root}`]
  if (agent.startup.kind === 'created') {
    lines.push('Created a new cluster; this node is its first member.', 'Join other machines with:', `  agent join ${where} --token ${agent.startup.joinToken}`)
  } else if (agent.startup.kind === 'joined') {
    lines.push(`Joined the cluster through ${agent.startup.peer}.`)
  } else {
    lines.push('Resumed from the data dir.')
  }
  process.stderr.write(lines.join('\n') + '\n')
}
