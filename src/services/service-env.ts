// Kubernetes-style service environment variables for a pod's containers: for each Service of the pod's
// namespace, `{NAME}_SERVICE_HOST`, `{NAME}_SERVICE_PORT` (its first port), `{NAME}_SERVICE_PORT_{PORT}`
// per named port, and the link-style `{NAME}_PORT=tcp://HOST:PORT`. The port is the cluster port, where
// the mesh listens on the service address (podmesh has no per-service IPs: docs/services.md).
//
// A container's env is part of its pod's config hash, so a changing set would restart pods: a pod gets the
// services that existed when this agent first saw it and were created no later than the pod, and keeps them.
import type { RuntimePod } from '../runtime/types.js'
import type { ObjectStore, StoredObject } from '../state/store.js'
import { clusterPortsOf } from '../state/service-ports.js'
import { CLUSTER_DOMAIN } from './dns-answer.js'

/** What a pod's containers get to find services: variables, and (Docker) the resolver. */
export interface Discovery {
  readonly vars: Readonly<Record<string, string>>
  readonly dns?: RuntimePod['dns']
}

export const envName = (s: string): string => s.toUpperCase().replace(/-/g, '_')

/** The variables for these services (pure). */
export function serviceVariables(services: readonly StoredObject[], host: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const s of services) {
    const ports = clusterPortsOf(s.object)
    const first = ports[0]
    if (!first) continue
    const n = envName(s.name)
    out[`${n}_SERVICE_HOST`] = host
    out[`${n}_SERVICE_PORT`] = String(first.clusterPort)
    out[`${n}_PORT`] = `tcp://${host}:${first.clusterPort}`
    for (const p of ports) if (p.name) out[`${n}_SERVICE_PORT_${envName(p.name)}`] = String(p.clusterPort)
  }
  return out
}

/** Kubernetes' search path and ndots, so `web` and `web.other` resolve from a pod's namespace. */
export function podResolver(server: string, namespace: string): NonNullable<RuntimePod['dns']> {
  return { servers: [server], searches: [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN], options: ['ndots:5'] }
}

export class ServiceEnvironment {
  private readonly frozen = new Map<string, Readonly<Record<string, string>>>()

  constructor(
    /** Where pods reach the mesh; undefined: no variables. */
    readonly host: string | undefined,
    private readonly store: ObjectStore,
    /** The service DNS on port 53 that pods may use as their resolver; undefined: the runtime's default. */
    readonly resolver?: string,
  ) {}

  forPod(pod: StoredObject): Discovery {
    const dns = this.resolver === undefined ? {} : { dns: podResolver(this.resolver, pod.namespace) }
    if (this.host === undefined) return { vars: {}, ...dns }
    let vars = this.frozen.get(pod.uid)
    if (!vars) {
      const services = this.store.list('Service', pod.namespace).filter((s) => s.creationTimestamp <= pod.creationTimestamp)
      vars = serviceVariables(services, this.host)
      this.frozen.set(pod.uid, vars)
    }
    return { vars, ...dns }
  }

  /** Forgets pods no longer bound here. */
  retain(uids: ReadonlySet<string>): void {
    for (const uid of this.frozen.keys()) if (!uids.has(uid)) this.frozen.delete(uid)
  }
}
