// The scheduler's public surface. Pure: imports nothing from net, agent, or Node's I/O.
export { schedule, Scheduler, type SchedulerOptions } from './schedule.js'
export { explainPod, type ExplainInput, type NodeVerdict, type PodExplanation } from './explain.js'
export { FilterReason, REASON_TEXT, REASONS, emptyCounts, formatUnschedulable } from './reasons.js'
export { InvalidScheduleInputError } from './errors.js'
export { DEFAULT_SPREAD_KEYS, HOSTNAME_LABEL } from './topology.js'
export { numFeasibleNodesToFind } from './sample.js'
export { ClusterState } from './state.js'
export type * from './types.js'
