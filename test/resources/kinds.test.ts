import t from 'tap'
import { KINDS, kindByName, kindInfo } from '../../src/resources/index.js'

t.test('the six kinds of the API contract', async (t) => {
  t.same(
    KINDS.map((k) => [k.plural, k.kind, k.apiVersion, k.namespaced]),
    [
      ['nodes', 'Node', 'v1', false],
      ['pods', 'Pod', 'v1', true],
      ['deployments', 'Deployment', 'apps/v1', true],
      ['services', 'Service', 'v1', true],
      ['secrets', 'Secret', 'v1', true],
      ['configmaps', 'ConfigMap', 'v1', true],
    ],
  )
})

t.test('kindByName takes plural, singular, kind or short name, in any case', async (t) => {
  const cases: [string, string | undefined][] = [
    ['deploy', 'Deployment'],
    ['Deployments', 'Deployment'],
    ['DEPLOYMENT', 'Deployment'],
    ['po', 'Pod'],
    ['no', 'Node'],
    ['nodes', 'Node'],
    ['svc', 'Service'],
    ['secret', 'Secret'],
    ['cm', 'ConfigMap'],
    ['ConfigMap', 'ConfigMap'],
    ['configmaps', 'ConfigMap'],
    ['replicasets', undefined],
    ['', undefined],
  ]
  for (const [name, kind] of cases) t.equal(kindByName(name)?.kind, kind, name)
  t.equal(kindInfo('Service').plural, 'services')
})
