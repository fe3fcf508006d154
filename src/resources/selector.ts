// Label selectors, with Kubernetes semantics: the query-string syntax (`app=web,tier!=db,env in (a,b)`)
// and the LabelSelector object ({matchLabels, matchExpressions}) both give a Selector.
import { SelectorError } from './errors.js'
import { labelValue, qualifiedName } from './names.js'
import type { LabelSelector } from './types-meta.js'

export type Labels = Readonly<Record<string, string>>

/** `=` and `==` are Equals; matchLabels entries are Equals too. */
export type SelectorOperator = 'Equals' | 'NotEquals' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'

export interface Requirement {
  readonly key: string
  readonly operator: SelectorOperator
  /** Sorted, no duplicates. One for Equals/NotEquals, one or more for In/NotIn, none otherwise. */
  readonly values: readonly string[]
}

export interface Selector {
  /** Sorted by key (then operator), as Kubernetes keeps them. ANDed. */
  readonly requirements: readonly Requirement[]
  /** No requirement: matches every object. */
  readonly empty: boolean
  matches(labels: Labels | undefined): boolean
  /** The canonical query-string form: `app=web,env in (a,b),!legacy`. */
  toString(): string
}

function matchesOne(r: Requirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, r.key)
  const value = has ? labels[r.key]! : undefined
  switch (r.operator) {
    case 'Equals':
    case 'In':
      return value !== undefined && r.values.includes(value)
    case 'NotEquals':
    case 'NotIn':
      return value === undefined || !r.values.includes(value)
    case 'Exists':
      return has
    case 'DoesNotExist':
      return !has
  }
}

function requirementText(r: Requirement): string {
  switch (r.operator) {
    case 'Equals':
      return `${r.key}=${r.values[0]}`
    case 'NotEquals':
      return `${r.key}!=${r.values[0]}`
    case 'In':
      return `${r.key} in (${r.values.join(',')})`
    case 'NotIn':
      return `${r.key} notin (${r.values.join(',')})`
    case 'Exists':
      return r.key
    case 'DoesNotExist':
      return `!${r.key}`
  }
}

/** Checks one requirement and returns it with sorted, de-duplicated values. Throws SelectorError. */
export function requirement(key: string, operator: SelectorOperator, values: readonly string[] = []): Requirement {
  const badKey = qualifiedName(key)
  if (badKey !== undefined) throw new SelectorError(`invalid label key ${JSON.stringify(key)}: ${badKey}`)
  const sorted = [...new Set(values)].sort()
  switch (operator) {
    case 'Equals':
    case 'NotEquals':
      if (values.length !== 1) throw new SelectorError(`${key}: exactly one value is required for ${operator}`)
      break
    case 'In':
    case 'NotIn':
      if (values.length === 0) throw new SelectorError(`${key}: ${operator} needs at least one value`)
      break
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) throw new SelectorError(`${key}: ${operator} takes no values`)
  }
  for (const v of sorted) {
    const bad = labelValue(v)
    if (bad !== undefined) throw new SelectorError(`invalid label value ${JSON.stringify(v)} for ${key}: ${bad}`)
  }
  return { key, operator, values: sorted }
}

const OPERATOR_ORDER: readonly SelectorOperator[] = ['Equals', 'NotEquals', 'In', 'NotIn', 'Exists', 'DoesNotExist']

/** A Selector ANDing the given requirements. */
export function selectorOf(requirements: readonly Requirement[]): Selector {
  const sorted = [...requirements].sort(
    (a, b) =>
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || OPERATOR_ORDER.indexOf(a.operator) - OPERATOR_ORDER.indexOf(b.operator),
  )
  const text = sorted.map(requirementText).join(',')
  return {
    requirements: sorted,
    empty: sorted.length === 0,
    matches: (labels) => sorted.every((r) => matchesOne(r, labels ?? {})),
    toString: () => text,
  }
}

/** Matches every object. */
export const EVERYTHING: Selector = selectorOf([])

const MATCH_OPERATORS: Readonly<Record<string, SelectorOperator>> = {
  In: 'In',
  NotIn: 'NotIn',
  Exists: 'Exists',
  DoesNotExist: 'DoesNotExist',
}

/** A LabelSelector object. `{}` matches everything (Kubernetes semantics). Throws SelectorError. */
export function fromLabelSelector(s: LabelSelector): Selector {
  const reqs: Requirement[] = []
  for (const [key, value] of Object.entries(s.matchLabels ?? {})) reqs.push(requirement(key, 'Equals', [value]))
  for (const e of s.matchExpressions ?? []) {
    const op = MATCH_OPERATORS[e.operator]
    if (op === undefined) throw new SelectorError(`${e.key}: operator ${JSON.stringify(e.operator)} must be one of In, NotIn, Exists, DoesNotExist`)
    reqs.push(requirement(e.key, op, e.values ?? []))
  }
  return selectorOf(reqs)
}

/** A selector from a map of labels, each an Equals requirement (Service selectors, nodeSelector). */
export function fromMap(labels: Labels): Selector {
  return selectorOf(Object.entries(labels).map(([k, v]) => requirement(k, 'Equals', [v])))
}
