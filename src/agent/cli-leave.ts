// `agent leave`: the node the API answers for is drained first (cordoned, its deployments' pods moved
// elsewhere one at a time, as `agent drain` does, bounded by --timeout), then POST /v1/leave deletes its
// Node and what is left on it, removes its pods from its runtime and takes it out of the cluster (leave.ts).
import type { ClientFlags } from './cli-client.js'
import { processIo, type CliIo } from './cli-io.js'
import { ApiClient } from './client.js'
import { ApiError } from './errors.js'
import type { LeaveResult } from './leave.js'
import { cordoned, followDrain, updateNode } from './node-cli.js'
import type { StatusView } from './status-view.js'

export interface LeaveFlags extends ClientFlags {
  /** Seconds to wait for the drain before leaving anyway. */
  readonly timeout?: string
}

export async function leaveCommand(flags: LeaveFlags, io: CliIo = processIo): Promise<void> {
  const api = new ApiClient(flags)
  const status = await api.request<StatusView>('GET', '/v1/status')
  const name = status.node.name
  if (status.members.length > 1) await drainBeforeLeaving(api, name, flags.timeout ?? '300', io)
  else io.out(`${name} is the only member: its pods have nowhere to go and are removed\n`)
  io.out(`removing the pods left on ${name} and leaving the cluster…\n`)
  const result = await api.request<LeaveResult>('POST', '/v1/leave', { timeoutMs: 300_000 })
  for (const key of result.deletedPods) io.out(`pod/${key} deleted\n`)
  io.out(result.message + '\n')
}

async function drainBeforeLeaving(api: ApiClient, name: string, seconds: string, io: CliIo): Promise<void> {
  try {
    await updateNode(api, name, (o) => cordoned(o, true, true))
  } catch (err) {
    // An agent without a Node yet (just started) has no pods to move.
    if (err instanceof ApiError && err.code === 'NotFound') return
    throw err
  }
  io.out(`node/${name} cordoned\n`)
  const result = await followDrain(api, name, Number(seconds) * 1000, io)
  if (result.kind === 'timeout') {
    io.out(`node/${name}: ${result.left} pod(s) not moved after ${seconds} s: they are deleted with the node and their deployments start them elsewhere\n`)
    return
  }
  for (const key of result.bare) io.out(`pod/${key} has no controller: it is deleted with the node\n`)
  io.out(`node/${name} drained\n`)
}
