// The command line of `npm run chaos`.
import { Command, InvalidArgumentError, Option } from 'commander'
import { NEMESES, type NemesisKind } from './faults.js'
import { parseSeedRange } from './series.js'
import { POD_RUNTIMES, WORKLOADS, type ChaosOptions, type PodRuntimeName, type WorkloadName } from './run.js'

function int(min: number, max: number) {
  return (text: string): number => {
    const n = Number(text)
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`an integer from ${min} to ${max}`)
    return n
  }
}

export function parseNemeses(text: string): NemesisKind[] {
  const kinds = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0)
  for (const k of kinds) {
    if (!(NEMESES as readonly string[]).includes(k)) throw new InvalidArgumentError(`unknown nemesis "${k}"; known: ${NEMESES.join(', ')}`)
  }
  return [...new Set(kinds)] as NemesisKind[]
}

export function parseWorkloads(text: string): WorkloadName[] {
  const names = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0)
  if (names.length === 0) throw new InvalidArgumentError(`name at least one of: ${WORKLOADS.join(', ')}`)
  for (const n of names) {
    if (!(WORKLOADS as readonly string[]).includes(n)) throw new InvalidArgumentError(`unknown workload "${n}"; known: ${WORKLOADS.join(', ')}`)
  }
  return [...new Set(names)] as WorkloadName[]
}

function seedRange(text: string): number[] {
  try {
    return parseSeedRange(text)
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message)
  }
}

/** `onRun` gets the options of one run and, with --seeds, every seed of the series (opts.seed is then unset). */
export function buildChaosCommand(onRun: (opts: ChaosOptions, seeds?: readonly number[]) => Promise<void>): Command {
  return new Command('chaos')
    .description('run real agents under seeded faults while clients read and compare-and-set ConfigMaps; check the history')
    .addOption(new Option('--nodes <n>', 'agents to start (127.0.0.11, .12, …)').argParser(int(1, 9)).default(5))
    .addOption(new Option('--time <seconds>', 'how long the workload and the faults run').argParser(int(5, 3600)).default(60))
    .addOption(new Option('--seed <n>', 'seed of the fault schedule (default: random, printed)').argParser(int(0, 2 ** 32 - 1)).conflicts('seeds'))
    .addOption(new Option('--seeds <A..B>', 'a series: one run per seed, one after the other, then a table of them all').argParser(seedRange))
    .addOption(new Option('--nemesis <list>', `faults to inject: ${NEMESES.join(',')}`).argParser(parseNemeses).default([...NEMESES]))
    .addOption(new Option('--out <dir>', 'where chaos-<seed>/ goes').default('chaos-runs'))
    .addOption(new Option('--clients <n>', 'concurrent workload clients').argParser(int(1, 32)).default(5))
    .addOption(new Option('--keys <n>', 'keys in use at a time (at least --clients)').argParser(int(1, 256)))
    .addOption(new Option('--fallback', 'use the in-process fault filter even where iptables works'))
    .addOption(new Option('--workload <list>', `workloads to run: ${WORKLOADS.join(',')}`).argParser(parseWorkloads).default([...WORKLOADS]))
    .addOption(new Option('--runtime <name>', 'how the agents run the orchestration workload\'s pods').choices(POD_RUNTIMES).default('process'))
    .addOption(new Option('--replicas <n>', 'replicas of the orchestration workload\'s Deployment').argParser(int(1, 100)).default(6))
    .action(async (flags: { nodes: number; time: number; seed?: number; seeds?: number[]; nemesis: NemesisKind[]; out: string; clients: number; keys?: number; fallback?: boolean; workload: WorkloadName[]; runtime: PodRuntimeName; replicas: number }) => {
      await onRun({
        nodes: flags.nodes,
        timeSec: flags.time,
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        nemeses: flags.nemesis,
        out: flags.out,
        forceFallback: flags.fallback === true,
        register: { clients: flags.clients, ...(flags.keys === undefined ? {} : { keys: flags.keys }) },
        workloads: flags.workload,
        runtime: flags.runtime,
        orchestration: { replicas: flags.replicas },
      }, flags.seeds)
    })
}
