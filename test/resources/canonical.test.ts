// The canonical form: the same manifest always gives the same bytes, whatever the key order of the
// input, whether defaults are written out or not, and whether it came as YAML or JSON.
import t from 'tap'
import { seededRand } from '../../src/raft/rand.js'
import type { Rand } from '../../src/raft/rand.js'
import { formatIssues, parseManifests, validateDocument } from '../../src/resources/index.js'
import * as F from './fixtures.js'

const ALL = [F.NGINX_DEPLOYMENT, F.NODEPORT_SERVICE, F.MULTI_PORT_SERVICE, F.SECRET_STRING_DATA, F.CONFIGMAP, F.CONFIGMAP_POD, F.SECRET_ENV_AND_VOLUME_POD, F.PROBES_POD, F.RESOURCES_POD, F.NODE_AFFINITY_POD, F.ANTI_AFFINITY_DEPLOYMENT, F.NODE]

function canonical(value: unknown): string {
  const r = validateDocument({ source: 'c#1', value })
  if (!r.ok) throw new Error(formatIssues(r.issues))
  return JSON.stringify(r.object.object)
}

function valueOf(yaml: string): unknown {
  return parseManifests(yaml, 'c.yaml')[0]!.value
}

/** The same value with every object's keys in a random order. */
function shuffleKeys(v: unknown, rand: Rand): unknown {
  if (Array.isArray(v)) return v.map((x) => shuffleKeys(x, rand))
  if (typeof v !== 'object' || v === null) return v
  const keys = Object.keys(v)
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[keys[i], keys[j]] = [keys[j]!, keys[i]!]
  }
  return Object.fromEntries(keys.map((k) => [k, shuffleKeys((v as Record<string, unknown>)[k], rand)]))
}

t.test('the same manifest twice gives byte-identical objects', async (t) => {
  for (const text of ALL) t.equal(canonical(valueOf(text)), canonical(valueOf(text)))
})

t.test('the key order of the input does not matter (seeded shuffles)', async (t) => {
  const seed = Number(process.env.SEED ?? Date.now() % 1_000_000)
  t.comment(`seed ${seed}: SEED=${seed} replays this run`)
  const rand = seededRand(seed)
  for (const text of ALL) {
    const want = canonical(valueOf(text))
    for (let round = 0; round < 20; round++) t.equal(canonical(shuffleKeys(valueOf(text), rand)), want, `seed ${seed}`)
  }
})

t.test('shuffling really reorders keys (the test above can fail)', async (t) => {
  const rand = seededRand(7)
  const v = valueOf(F.NGINX_DEPLOYMENT)
  const orders = new Set(Array.from({ length: 10 }, () => Object.keys(shuffleKeys(v, rand) as object).join(',')))
  t.ok(orders.size > 1)
})

t.test('writing the defaults out gives the same bytes as leaving them out', async (t) => {
  const explicit = F.NGINX_DEPLOYMENT.replace('  replicas: 3\n', '  replicas: 3\n  revisionHistoryLimit: 10\n  progressDeadlineSeconds: 600\n  strategy:\n    type: RollingUpdate\n')
    .replace('  name: nginx-deployment\n', '  name: nginx-deployment\n  namespace: default\n')
    .replace('        - containerPort: 80\n', '        - containerPort: 80\n          protocol: TCP\n        imagePullPolicy: IfNotPresent\n      restartPolicy: Always\n')
  t.not(explicit, F.NGINX_DEPLOYMENT)
  t.equal(canonical(valueOf(explicit)), canonical(valueOf(F.NGINX_DEPLOYMENT)))
})

t.test('YAML and JSON of the same manifest give the same bytes', async (t) => {
  for (const text of ALL) {
    const json = JSON.stringify(valueOf(text))
    t.equal(canonical(parseManifests(json, 'c.json')[0]!.value), canonical(valueOf(text)))
  }
})

t.test('the canonical form is a fixpoint: validating it again changes nothing', async (t) => {
  for (const text of ALL) {
    const once = canonical(valueOf(text))
    t.equal(canonical(JSON.parse(once)), once)
  }
})

t.test('a served object (server fields, status, resourceVersion) re-applies to the same bytes', async (t) => {
  const once = JSON.parse(canonical(valueOf(F.NGINX_DEPLOYMENT)))
  const served = { ...once, metadata: { ...once.metadata, uid: 'u-1', resourceVersion: '12', generation: 2, creationTimestamp: '2024-01-01T00:00:00Z' }, status: { replicas: 3 } }
  const r = validateDocument({ source: 's#1', value: served })
  t.ok(r.ok)
  if (!r.ok) return
  t.equal(r.object.resourceVersion, 12)
  t.equal(JSON.stringify(r.object.object), JSON.stringify(once))
})

t.test('a different manifest gives different bytes', async (t) => {
  t.not(canonical(valueOf(F.NGINX_DEPLOYMENT.replace('replicas: 3', 'replicas: 4'))), canonical(valueOf(F.NGINX_DEPLOYMENT)))
})

t.test('the returned objects are independent: editing one does not change the next', async (t) => {
  const a = validateDocument({ source: 'a#1', value: valueOf(F.NGINX_DEPLOYMENT) })
  if (!a.ok) return t.fail('invalid')
  ;(a.object.object as unknown as { spec: { strategy: { rollingUpdate: { maxSurge: string } } } }).spec.strategy.rollingUpdate.maxSurge = '99%'
  const b = validateDocument({ source: 'b#1', value: valueOf(F.NGINX_DEPLOYMENT) })
  t.match(b, { ok: true, object: { object: { spec: { strategy: { rollingUpdate: { maxSurge: '25%' } } } } } })
})
