// Node selectors, node selector terms and label selectors, with Kubernetes semantics.
import type {
  LabelSelector,
  LabelSelectorRequirement,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  SchedNode,
} from './types.js'

type Labels = Readonly<Record<string, string>>

const INTEGER = /^-?\d+$/

function parseInteger(s: string | undefined): number | undefined {
  return s !== undefined && INTEGER.test(s) ? Number(s) : undefined
}

/** One requirement against a label value (undefined: label absent). */
export function matchRequirement(req: NodeSelectorRequirement | LabelSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? []
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value)
    case 'NotIn':
      return value === undefined || !values.includes(value)
    case 'Exists':
      return value !== undefined
    case 'DoesNotExist':
      return value === undefined
    case 'Gt':
    case 'Lt': {
      const have = parseInteger(value)
      const bound = values.length === 1 ? parseInteger(values[0]) : undefined
      if (have === undefined || bound === undefined) return false
      return req.operator === 'Gt' ? have > bound : have < bound
    }
  }
}

/** Every pair of the map is a label of the node. */
export function matchNodeSelector(selector: Labels, labels: Labels): boolean {
  for (const key in selector) if (labels[key] !== selector[key]) return false
  return true
}

/** Requirements ANDed; a term with no requirement matches nothing. matchFields knows metadata.name only. */
export function matchNodeSelectorTerm(term: NodeSelectorTerm, node: SchedNode): boolean {
  const exprs = term.matchExpressions ?? []
  const fields = term.matchFields ?? []
  if (exprs.length === 0 && fields.length === 0) return false
  for (const req of exprs) if (!matchRequirement(req, node.labels[req.key])) return false
  for (const req of fields) {
    const value = req.key === 'metadata.name' ? node.name : undefined
    if (!matchRequirement(req, value)) return false
  }
  return true
}

/** Terms ORed. An empty list is no constraint. */
export function matchNodeSelectorTerms(terms: readonly NodeSelectorTerm[], node: SchedNode): boolean {
  if (terms.length === 0) return true
  for (const term of terms) if (matchNodeSelectorTerm(term, node)) return true
  return false
}

/** matchLabels and matchExpressions ANDed; the empty selector matches everything. */
export function matchLabelSelector(sel: LabelSelector, labels: Labels): boolean {
  const ml = sel.matchLabels
  if (ml !== undefined) for (const key in ml) if (labels[key] !== ml[key]) return false
  const exprs = sel.matchExpressions
  if (exprs !== undefined) for (const req of exprs) if (!matchRequirement(req, labels[req.key])) return false
  return true
}

/**
 * A label pair every matching pod must carry, used to look candidates up in an index:
 * the first matchLabels pair, else the first In requirement with a single value.
 */
export function selectorAnchor(sel: LabelSelector): readonly [string, string] | undefined {
  const ml = sel.matchLabels
  if (ml !== undefined) for (const key in ml) return [key, ml[key] as string]
  for (const req of sel.matchExpressions ?? []) {
    if (req.operator === 'In' && req.values?.length === 1) return [req.key, req.values[0] as string]
  }
  return undefined
}

/** True when the anchor alone decides a match (one matchLabels pair, nothing else). */
export function selectorIsAnchorOnly(sel: LabelSelector): boolean {
  const ml = sel.matchLabels
  const nLabels = ml === undefined ? 0 : Object.keys(ml).length
  const nExprs = sel.matchExpressions?.length ?? 0
  return (nLabels === 1 && nExprs === 0) || (nLabels === 0 && nExprs === 1 && selectorAnchor(sel) !== undefined)
}
