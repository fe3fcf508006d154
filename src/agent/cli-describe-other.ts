// `describe` for Services, Nodes, ConfigMaps and Secrets.
import { endpointString, nodeRoles, selectorString } from './cli-columns.js'
import { conditionsTable } from './cli-describe-workloads.js'
import type { DescribeWriter } from './cli-describe-writer.js'
import { arr, at, rec, str, type Json } from './cli-object.js'

export function describeService(w: DescribeWriter, o: Json): void {
  w.field('Selector', selectorString(at(o, 'spec', 'selector')))
  w.field('Type', str(at(o, 'spec', 'type')))
  const ports = arr(at(o, 'spec', 'ports'))
  if (ports.length === 0) w.field('Port', undefined)
  for (const p of ports) {
    const proto = str(p.protocol) ?? 'TCP'
    w.field('Port', `${str(p.name) ?? '<unset>'}  ${str(p.port) ?? '?'}/${proto}`)
    w.field('TargetPort', `${str(p.targetPort) ?? str(p.port) ?? '?'}/${proto}`)
    if (p.nodePort !== undefined) w.field('NodePort', `${str(p.nodePort)}/${proto}`)
  }
  const endpoints = arr(at(o, 'status', 'endpoints'))
  w.field('Endpoints', endpoints.map(endpointString).join(','))
  const notReady = (at(o, 'status', 'notReady') as unknown[] | undefined) ?? []
  if (notReady.length) w.field('NotReady', notReady.join(','))
  // This agent's routing-mesh listeners: a port it could not bind shows here, with the reason.
  const listeners = arr(at(o, 'status', 'listeners'))
  if (listeners.length) w.field('Listeners', listeners.map((l) => `${str(l.address)}:${str(l.port)} (${str(l.kind)}) ${l.state === 'listening' ? 'listening' : `FAILED: ${str(l.error)}`}`).join('\n'))
}

export function taintString(t: Json): string {
  return `${str(t.key) ?? '?'}${t.value !== undefined && t.value !== '' ? `=${str(t.value)}` : ''}:${str(t.effect) ?? '?'}`
}

function quantities(w: DescribeWriter, label: string, v: unknown): void {
  const entries = Object.entries(rec(v))
  if (entries.length === 0) return void w.field(label, undefined)
  w.heading(label)
  for (const [k, q] of entries) w.field(k, str(q), 1)
}

export function describeNode(w: DescribeWriter, o: Json): void {
  w.field('Roles', nodeRoles(o))
  w.field('Taints', arr(at(o, 'spec', 'taints')).map(taintString).join('\n'))
  w.field('Unschedulable', at(o, 'spec', 'unschedulable') === true ? 'true' : 'false')
  conditionsTable(w, arr(at(o, 'status', 'conditions')))
  const addresses = arr(at(o, 'status', 'addresses'))
  if (addresses.length === 0) w.field('Addresses', undefined)
  else {
    w.heading('Addresses')
    for (const a of addresses) w.field(str(a.type) ?? '?', str(a.address), 1)
  }
  quantities(w, 'Capacity', at(o, 'status', 'capacity'))
  quantities(w, 'Allocatable', at(o, 'status', 'allocatable'))
  const info = Object.entries(rec(at(o, 'status', 'nodeInfo')))
  if (info.length) {
    w.heading('System Info')
    for (const [k, v] of info) w.field(k, str(v), 1)
  }
}

export function describeConfigMap(w: DescribeWriter, o: Json): void {
  const data = Object.entries(rec(o.data))
  w.text('')
  w.text('Data')
  w.text('====')
  for (const [k, v] of data) {
    w.text(`${k}:`)
    w.text('----')
    w.text(str(v) ?? JSON.stringify(v))
    w.text('')
  }
  const binary = Object.entries(rec(o.binaryData))
  if (binary.length) {
    w.text('BinaryData')
    w.text('====')
    for (const [k, v] of binary) w.text(`${k}: ${byteSize(v)} bytes`)
  }
}

/** A Secret's (or binaryData's) value is base64: its size is the decoded length. */
export function byteSize(v: unknown): number | undefined {
  const s = str(v)
  if (s === undefined || s === '<redacted>') return undefined
  return Buffer.from(s, 'base64').length
}

/** Keys and sizes only: a Secret's values are never printed. */
export function describeSecret(w: DescribeWriter, o: Json): void {
  w.field('Type', str(o.type) ?? 'Opaque')
  w.text('')
  w.text('Data')
  w.text('====')
  const data = Object.entries(rec(o.data))
  for (const [k, v] of data) {
    const n = byteSize(v)
    w.field(k, n === undefined ? '<redacted>' : `${n} bytes`)
  }
}
