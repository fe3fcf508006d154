// v1 Secret and v1 ConfigMap: data maps with config-key names; a Secret's stringData folds into data.
import type { Checker } from './issues.js'
import { idx } from './issues.js'
import { configKey } from './names.js'
import type { Rule } from './rules.js'
import { bool, setOwn, str, stringMap, withDefault } from './rules.js'

/** Kubernetes' limit on the data of one Secret or ConfigMap. */
export const MAX_CONFIG_BYTES = 1024 * 1024

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** What the API serves in place of a Secret's values unless asked to reveal them. */
export const REDACTED = '<redacted>'

export function base64Value(s: string): string | undefined {
  if (s === REDACTED) return `is the ${REDACTED} placeholder the API serves, not a value: \`agent get secret NAME -o yaml --show-secrets\` gives the values`
  return STRICT_BASE64.test(s) ? undefined : 'must be base64 (standard alphabet, with padding)'
}

export const base64Map = stringMap(configKey, base64Value)
export const textMap = stringMap(configKey)
export const immutable = withDefault(bool(), false)

/** Secret types podmesh accepts; service account tokens need service accounts, which podmesh has not. */
export const secretType: Rule<string> = str((s) =>
  s === 'kubernetes.io/service-account-token' ? 'service account tokens are not supported by podmesh' : undefined,
)

function decodedSize(data: Record<string, string> | undefined, base64: boolean): number {
  let size = 0
  for (const [k, v] of Object.entries(data ?? {})) size += k.length + (base64 ? Buffer.from(v, 'base64').length : Buffer.byteLength(v))
  return size
}

function checkSize(size: number, c: Checker): void {
  if (size > MAX_CONFIG_BYTES) c.add('', `data must total no more than ${MAX_CONFIG_BYTES} bytes (got ${size})`)
}

/** data merged with stringData (stringData wins, as in Kubernetes), values base64, keys sorted. */
export function secretData(raw: Record<string, unknown>, c: Checker): Record<string, string> | undefined {
  const data = base64Map(raw.data, 'data', c)
  const strings = textMap(raw.stringData, 'stringData', c)
  const merged: Record<string, string> = { ...data }
  for (const [k, v] of Object.entries(strings ?? {})) setOwn(merged, k, Buffer.from(v, 'utf8').toString('base64'))
  const keys = Object.keys(merged).sort()
  if (keys.length === 0) return undefined
  checkSize(decodedSize(merged, true), c)
  return Object.fromEntries(keys.map((k) => [k, merged[k]!]))
}

/** ConfigMap data and binaryData: no key in both. */
export function configMapData(raw: Record<string, unknown>, c: Checker): { data?: Record<string, string>; binaryData?: Record<string, string> } {
  const data = textMap(raw.data, 'data', c)
  const binaryData = base64Map(raw.binaryData, 'binaryData', c)
  for (const k of Object.keys(binaryData ?? {})) if (data !== undefined && Object.hasOwn(data, k)) c.add(idx('binaryData', k), 'duplicate of a key in data')
  checkSize(decodedSize(data, false) + decodedSize(binaryData, true), c)
  return { data, binaryData }
}


