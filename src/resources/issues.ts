// What validation reports: one issue per problem, all of them, each naming its document and field.

export interface Issue {
  /** The document: "deploy.yaml#2" (1-based index of the document in its file). */
  readonly document: string
  /** The field, with `.field` and `[i]` steps: "spec.template.spec.containers[0].image". Empty for the whole document. */
  readonly path: string
  readonly reason: string
}

/** `deploy.yaml#2 spec.replicas: must be >= 0`, or `deploy.yaml#2: must be an object` for the whole document. */
export function formatIssue(issue: Issue): string {
  return issue.path === '' ? `${issue.document}: ${issue.reason}` : `${issue.document} ${issue.path}: ${issue.reason}`
}

export function formatIssues(issues: readonly Issue[]): string {
  return issues.map(formatIssue).join('\n')
}

/** Collects the issues of one document. */
export class Checker {
  readonly issues: Issue[] = []
  constructor(readonly document: string) {}

  add(path: string, reason: string): void {
    this.issues.push({ document: this.document, path, reason })
  }

  get ok(): boolean {
    return this.issues.length === 0
  }
}

/** `spec` + `replicas` → `spec.replicas`; from the root, just the field. */
export function at(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`
}

/** An array element or a map entry: `containers[0]`, `metadata.labels[app]`. */
export function idx(path: string, i: number | string): string {
  return `${path}[${i}]`
}
