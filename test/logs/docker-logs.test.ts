// `agent logs` through the Docker runtime on a real engine: b runs the pod in Docker, a (no runtime)
// relays. Everything labelled with b's node id is removed afterwards, even on failure.
import t from 'tap'
import { cleanNode, dockerEnv } from '../runtime/docker-env.js'
import { TEST_IMAGE } from '../runtime/fixtures.js'
import { applyJson, eventually, formFleet, pinnedPod, running } from './harness.js'

const env = await dockerEnv()
if (env.failure !== undefined) t.fail(`CI=true and Docker is not usable: ${env.failure}`)
if (env.docker === undefined) {
  if (env.skip !== undefined) t.test('agent logs through the Docker runtime', { skip: env.skip }, async () => {})
} else {
  const docker = env.docker
  t.test('agent logs through the Docker runtime, relayed from the node that runs the container', async (t) => {
    const { fleet, agents } = await formFleet([
      { name: 'a', runtime: 'none' },
      { name: 'b', runtime: 'docker' },
    ])
    const [a, b] = agents as [(typeof agents)[0], (typeof agents)[0]]
    const bId = (await b.status())!.node.id
    t.teardown(async () => {
      await a.cli(['delete', 'pod', 'printer', '--ignore-not-found'])
      await fleet.destroy()
      await cleanNode(docker, bId)
    })
    t.teardown(() => void (t.passing() || console.error(fleet.logs())))

    await applyJson(a, [pinnedPod('printer', 'b', { main: ['sh', '-c', 'for i in 1 2 3 4; do echo line $i; done; sleep 1; echo oops >&2; exec sleep 100000'] }, {}, TEST_IMAGE)])
    await eventually('printer runs on b', () => running(a, 'printer'), 90_000)
    const all = await eventually('its output', async () => {
      const r = await a.cli(['logs', 'printer'])
      return r.stdout.includes('oops') ? r : undefined
    })
    t.equal(all.code, 0, all.stderr)
    // Docker copies stdout and stderr apart, so only a pause between them fixes their order in the log.
    t.equal(all.stdout, 'line 1\nline 2\nline 3\nline 4\noops\n', 'stdout and stderr, demultiplexed')
    t.equal((await a.cli(['logs', 'printer', '--tail', '2'])).stdout, 'line 4\noops\n')
  })
}
