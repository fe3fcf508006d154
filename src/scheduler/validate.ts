// Input checks. Broken input is the caller's bug, named so that it can be told apart.
import { InvalidScheduleInputError } from './errors.js'
import type { ScheduleInput, SchedPod } from './types.js'

function quantity(what: string, v: number | undefined): void {
  if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
    throw new InvalidScheduleInputError(`${what} must be a finite number >= 0, got ${v}`)
  }
}

function checkPod(pod: SchedPod, uids: Set<string>): void {
  if (uids.has(pod.uid)) throw new InvalidScheduleInputError(`duplicate pod uid ${JSON.stringify(pod.uid)}`)
  uids.add(pod.uid)
  quantity(`pod ${pod.uid} requests.cpuMillis`, pod.requests.cpuMillis)
  quantity(`pod ${pod.uid} requests.memoryBytes`, pod.requests.memoryBytes)
}

export function validateInput(input: ScheduleInput): void {
  const names = new Set<string>()
  for (const n of input.nodes) {
    if (names.has(n.name)) throw new InvalidScheduleInputError(`duplicate node name ${JSON.stringify(n.name)}`)
    names.add(n.name)
    quantity(`node ${n.name} allocatable.cpuMillis`, n.allocatable.cpuMillis)
    quantity(`node ${n.name} allocatable.memoryBytes`, n.allocatable.memoryBytes)
    quantity(`node ${n.name} allocatable.pods`, n.allocatable.pods)
  }
  const uids = new Set<string>()
  for (const p of input.placed) checkPod(p, uids)
  for (const p of input.pending) checkPod(p, uids)
}
