// Naming kinds on the command line: plural, singular, short, any case, kind/name.
import t from 'tap'
import { kindOfManifest, parseKindArgs, qualifiedName, resolveKind } from '../../src/agent/cli-kinds.js'
import { UsageError } from '../../src/agent/errors.js'

t.test('every spelling of a kind resolves to it', async (t) => {
  const cases: [string, string][] = [
    ['pods', 'pods'], ['pod', 'pods'], ['po', 'pods'], ['Pods', 'pods'], ['POD', 'pods'],
    ['deployments', 'deployments'], ['deploy', 'deployments'], ['Deployment', 'deployments'], ['deployments.apps', 'deployments'], ['deployment.apps', 'deployments'],
    ['svc', 'services'], ['service', 'services'], ['cm', 'configmaps'], ['ConfigMap', 'configmaps'],
    ['secret', 'secrets'], ['Secrets', 'secrets'], ['no', 'nodes'], ['node', 'nodes'],
  ]
  for (const [given, plural] of cases) t.equal(resolveKind(given).plural, plural, given)
})

t.test('an unknown kind is a usage error listing the known ones', async (t) => {
  const err = t.throws(() => resolveKind('widgets')) as Error
  t.equal(err.name, UsageError.name)
  t.match(err.message, /deployments \(deployment, deploy\)/)
})

t.test('kind/name and kind name', async (t) => {
  t.same(parseKindArgs('deploy/web'), { kind: resolveKind('deployments'), name: 'web' })
  t.same(parseKindArgs('svc', 'web'), { kind: resolveKind('services'), name: 'web' })
  t.same(parseKindArgs('pods'), { kind: resolveKind('pods') })
  t.equal((t.throws(() => parseKindArgs('deploy/web', 'other')) as Error).name, 'UsageError')
  t.equal((t.throws(() => parseKindArgs('deploy/')) as Error).name, 'UsageError')
})

t.test('manifest kinds and qualified names', async (t) => {
  t.equal(kindOfManifest('Deployment')?.plural, 'deployments')
  t.equal(kindOfManifest('Gadget'), undefined)
  t.equal(qualifiedName(resolveKind('deploy'), 'web'), 'deployment.apps/web')
  t.equal(qualifiedName(resolveKind('svc'), 'web'), 'service/web')
})
