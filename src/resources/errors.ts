// The named errors of the resource model. Tests and callers match on `name`, never on the message.
import type { Issue } from './issues.js'
import { formatIssues } from './issues.js'

/** A quantity ("250m", "64Mi") that does not parse, or is negative or too large where that is not allowed. */
export class QuantityError extends Error {
  static override readonly name = 'QuantityError'
  override readonly name = 'QuantityError'
}

/** A label selector in the query-string syntax, or a LabelSelector object, that is malformed. */
export class SelectorError extends Error {
  static override readonly name = 'SelectorError'
  override readonly name = 'SelectorError'
}

/** Manifest text that is not valid YAML or JSON. Carries one issue per broken document. */
export class ManifestSyntaxError extends Error {
  static override readonly name = 'ManifestSyntaxError'
  override readonly name = 'ManifestSyntaxError'
  constructor(readonly issues: readonly Issue[]) {
    super(formatIssues(issues))
  }
}
