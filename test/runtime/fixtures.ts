// RuntimePod builders with the defaults validation fills in (see docs/resources.md).
import { randomBytes } from 'node:crypto'
import type { Container, PodSpec, Probe } from '../../src/resources/index.js'
import type { PodStatusReport, PodRuntime, RuntimePod } from '../../src/runtime/types.js'

export const TEST_IMAGE = process.env.PODMESH_TEST_IMAGE ?? 'podmesh-test/busybox:1'

export function uniqueId (prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`
}

export function probe (action: Pick<Probe, 'httpGet' | 'tcpSocket' | 'exec'>, over: Partial<Probe> = {}): Probe {
  return { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1, ...action, ...over }
}

export function container (name: string, over: Partial<Container> = {}): Container {
  return { name, image: TEST_IMAGE, imagePullPolicy: 'IfNotPresent', ...over }
}

export function pod (containers: Container[], over: Partial<PodSpec> = {}, env: Record<string, Record<string, string>> = {}): RuntimePod {
  const uid = uniqueId('uid')
  return {
    uid,
    namespace: 'default',
    name: `p-${uid.slice(4)}`,
    labels: {},
    spec: { containers, restartPolicy: 'Always', terminationGracePeriodSeconds: 1, ...over },
    env,
    files: {},
  }
}

export function statusOf (rt: PodRuntime, uid: string): PodStatusReport['status'] | undefined {
  return rt.statuses().find(s => s.uid === uid)?.status
}

/** Polls until check returns a value (not undefined/false), or fails with what was last seen. */
export async function eventually<T> (what: string, check: () => T | undefined | false | Promise<T | undefined | false>, opts: { timeoutMs?: number, everyMs?: number, seen?: () => unknown } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000)
  for (;;) {
    const v = await check()
    if (v !== undefined && v !== false) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(opts.seen?.() ?? null)}`)
    await new Promise(resolve => setTimeout(resolve, opts.everyMs ?? 100))
  }
}
