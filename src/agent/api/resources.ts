// The API's view of the resource model (src/resources): manifests, validation, selectors and kinds,
// in the shapes the routes use.
import { parse as parseYaml } from 'yaml'
import * as model from '../../resources/index.js'

export type Issue = model.Issue
export type Selector = Pick<model.Selector, 'matches'>
export type KindInfo = model.KindInfo
export type ManifestFormat = model.ManifestFormat

export interface ValidObject {
  readonly kind: string
  readonly apiVersion: string
  /** '' for cluster-scoped kinds. */
  readonly namespace: string
  readonly name: string
  /** metadata.resourceVersion of the document, when given. */
  readonly resourceVersion?: number | string
  /** The whole document, normalized (defaults filled, server fields dropped, keys in a fixed order). */
  readonly object: Record<string, unknown>
}

export type Validation = { readonly ok: true; readonly object: ValidObject } | { readonly ok: false; readonly issues: readonly Issue[] }

export interface ParsedDocument {
  /** `source#N`. */
  readonly label: string
  readonly doc: unknown
}

export const KINDS = model.KINDS

/** The URL's path segment: the plural, or any name the CLI accepts (singular, short name). */
export function kindByPlural(plural: string): KindInfo | undefined {
  return model.kindByName(plural)
}

export function kindByName(kind: string): KindInfo | undefined {
  return model.kindByName(kind)
}

/** Splits a body into documents: YAML streams (`---`), or JSON (an object, an array, or a List with items). */
export function parseManifests(text: string, source: string, format: ManifestFormat): { documents: ParsedDocument[]; issues: Issue[] } {
  const r = model.readManifests(text, source, format)
  return { documents: r.documents.map((d) => ({ label: d.source, doc: d.value })), issues: [...r.issues] }
}

export function validateDocument(doc: unknown, label: string): Validation {
  const v = model.validateDocument({ source: label, value: doc })
  return v.ok ? { ok: true, object: v.object as unknown as ValidObject } : v
}

/** Kubernetes label selector syntax; throws SelectorError. */
export function parseSelector(text: string): Selector {
  return model.parseSelector(text)
}

/** Parses a one-object YAML or JSON body (PUT). */
export function parseOne(text: string, format: ManifestFormat): unknown {
  return format === 'json' ? JSON.parse(text) : parseYaml(text)
}
