// GET /v1/services/{name}/endpoints?namespace=: a Service's endpoints as this agent computes them from
// its applied state (linearizable unless ?stale=true), and this agent's mesh listeners for it.
import type { ObjectApiDeps } from '../agent/api/context.js'
import { ApiFailure } from '../agent/api/errors.js'
import { barrier } from '../agent/api/routes-objects.js'
import type { Route } from '../agent/api/server.js'
import { serviceEndpoints } from './endpoints.js'
import type { Services } from './index.js'

export function endpointsRoutes(deps: () => ObjectApiDeps, services: () => Services | undefined): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/services/:name/endpoints',
      name: 'endpoints',
      handler: async (req) => {
        const d = deps()
        const namespace = req.query.get('namespace') || 'default'
        const name = req.params.name!
        await barrier(d, req)
        const service = d.state.store.get({ kind: 'Service', namespace, name })
        if (!service) throw new ApiFailure('NotFound', `services "${name}" not found in namespace "${namespace}"; list them with \`agent get services -n ${namespace}\``)
        const e = serviceEndpoints(service, d.state.store.list('Pod', namespace))
        return {
          body: {
            apiVersion: 'v1',
            kind: 'Endpoints',
            metadata: { name, namespace, resourceVersion: String(d.state.applied) },
            type: e.type,
            ports: e.ports,
            notReady: e.notReady,
            listeners: services()?.listenersOf(namespace, name) ?? [],
          },
        }
      },
    },
  ]
}
