// Node loss: from kill -9 of an agent until all its replicas run elsewhere (status Running and Ready
// in the API). Three agents with the fake runtime, a 6-replica deployment; each trial kills one agent
// that holds replicas (in turn, so the leader is among them), measures, restarts it and waits for the
// fleet to settle. Goal: median at most 5 s.
//
// Usage: npm run bench:failover -- --help
import { apply, deployment, eventually, leaderOf, pods, readyNodes, runningPerNode, threeAgents } from '../test/orchestration/harness.js'
import { median } from './lib/stats.js'
import { JSON_FLAG, scriptFlags } from './lib/script-flags.js'
import { emitFigures, jsonMode } from './lib/bench-json.js'

const { trials } = scriptFlags('bench:failover', 'From kill -9 of an agent until its replicas run elsewhere (3 agents, the fake runtime).', {
  trials: { type: 'count', default: 5, help: 'agent kills the figure is the median of' },
  ...JSON_FLAG,
})
/** Human lines: stdout, or stderr when stdout carries --json's figures. */
const say = jsonMode ? console.error : console.log
const REPLICAS = 6

const cluster = await threeAgents()
const agents = cluster.agents
const total = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0)
try {
  await apply(agents[0]!, deployment('bench', REPLICAS))
  const times: number[] = []
  for (let i = 0; i < trials; i++) {
    await eventually('all replicas running, spread', async () => {
      const m = runningPerNode((await pods(agents[0]!, 'app=bench')) ?? [])
      return total(m) === REPLICAS && Object.keys(m).length === 3
    }, 60_000)
    const victim = agents[i % agents.length]!
    const wasLeader = (await leaderOf(agents)) === victim
    const witness = agents.find((a) => a !== victim)!
    const started = performance.now()
    await victim.kill9()
    await eventually('replicas running elsewhere', async () => {
      const m = runningPerNode((await pods(witness, 'app=bench')) ?? [])
      return total(m) === REPLICAS && m[victim.name] === undefined
    }, 60_000, 25)
    const ms = performance.now() - started
    times.push(ms)
    say(`trial ${i + 1}: killed ${victim.name}${wasLeader ? ' (the leader)' : ''}: replicas running elsewhere after ${(ms / 1000).toFixed(2)} s`)
    victim.start()
    await eventually('the node is back', async () => (await readyNodes(witness)).length === 3, 60_000)
    // Spread the replicas again for the next trial: scale down and up.
    await witness.cli(['scale', 'deploy', 'bench', '--replicas', '0'])
    await eventually('no pods', async () => ((await pods(witness, 'app=bench')) ?? [1]).length === 0, 60_000)
    await witness.cli(['scale', 'deploy', 'bench', '--replicas', String(REPLICAS)])
  }
  const sec = (ms: number) => (ms / 1000).toFixed(2)
  emitFigures('failover', { nodeLossMs: Math.round(median(times)) })
  say(`node loss → replicas running elsewhere, ${trials} trials: median ${sec(median(times))} s, min ${sec(Math.min(...times))} s, max ${sec(Math.max(...times))} s (goal: median ≤ 5 s)`)
} catch (err) {
  console.error(cluster.logs())
  throw err
} finally {
  await cluster.destroy()
}
