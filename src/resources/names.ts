// The name and key syntaxes of Kubernetes (k8s.io/apimachinery/pkg/util/validation).
// Each check returns undefined when the value is fine, or the reason it is not.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/
const IANA_SVC_NAME = /^[-a-z0-9]+$/

export function dns1123Label(s: string): string | undefined {
  if (s.length > 63) return `must be no more than 63 characters (got ${s.length})`
  if (!DNS1123_LABEL.test(s)) return 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit'
  return undefined
}

export function dns1123Subdomain(s: string): string | undefined {
  if (s.length > 253) return `must be no more than 253 characters (got ${s.length})`
  if (!DNS1123_SUBDOMAIN.test(s)) return 'must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit'
  return undefined
}

/** Service names: a DNS-1035 label (a DNS-1123 label that starts with a letter). */
export function dns1035Label(s: string): string | undefined {
  if (s.length > 63) return `must be no more than 63 characters (got ${s.length})`
  if (!DNS1035_LABEL.test(s)) return 'must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit'
  return undefined
}

/** Label, annotation and taint keys: `[prefix/]name`, prefix a DNS-1123 subdomain, name ≤ 63 characters. */
export function qualifiedName(s: string): string | undefined {
  const parts = s.split('/')
  if (parts.length > 2) return 'must be a qualified name: an optional DNS subdomain prefix and "/", then a name'
  const name = parts.length === 2 ? parts[1]! : parts[0]!
  if (parts.length === 2) {
    const prefix = parts[0]!
    if (prefix === '') return 'prefix part must not be empty'
    const bad = dns1123Subdomain(prefix)
    if (bad !== undefined) return `prefix part ${bad}`
  }
  if (name === '') return 'name part must not be empty'
  if (name.length > 63) return `name part must be no more than 63 characters (got ${name.length})`
  if (!QUALIFIED_NAME.test(name)) return 'name part must consist of letters, digits, "-", "_" or ".", starting and ending with a letter or digit'
  return undefined
}

export function labelValue(s: string): string | undefined {
  if (s.length > 63) return `must be no more than 63 characters (got ${s.length})`
  if (!LABEL_VALUE.test(s)) return 'must be empty or consist of letters, digits, "-", "_" or ".", starting and ending with a letter or digit'
  return undefined
}

/** Keys of ConfigMap and Secret data. */
export function configKey(s: string): string | undefined {
  if (s.length > 253) return `must be no more than 253 characters (got ${s.length})`
  if (!CONFIG_KEY.test(s)) return 'must consist of letters, digits, "-", "_" or "."'
  if (s === '.' || s === '..') return `must not be "${s}"`
  return undefined
}

export function envVarName(s: string): string | undefined {
  if (!ENV_VAR_NAME.test(s)) return 'must consist of letters, digits, "_", "-" or ".", and must not start with a digit'
  return undefined
}

/** Port names (IANA_SVC_NAME): ≤ 15 lowercase letters, digits and "-", with a letter, no "--", no "-" at either end. */
export function portName(s: string): string | undefined {
  if (s.length > 15) return `must be no more than 15 characters (got ${s.length})`
  if (!IANA_SVC_NAME.test(s)) return 'must contain only lowercase letters, digits and "-"'
  if (!/[a-z]/.test(s)) return 'must contain at least one letter'
  if (s.includes('--')) return 'must not contain consecutive hyphens'
  if (s.startsWith('-') || s.endsWith('-')) return 'must not begin or end with a hyphen'
  return undefined
}

/** A relative path with no ".." step (subPath, volume item paths). */
export function relativePath(s: string): string | undefined {
  if (s.startsWith('/')) return 'must be a relative path'
  if (s.split('/').includes('..')) return 'must not contain ".."'
  return undefined
}

export function absolutePath(s: string): string | undefined {
  if (!s.startsWith('/')) return 'must be an absolute path'
  return undefined
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

/** An IPv4 or IPv6 address (no zone, no brackets). */
export function ipAddress(s: string): string | undefined {
  if (IPV4.test(s)) return undefined
  if (/^[0-9a-fA-F:.]+$/.test(s) && s.includes(':') && URL.canParse(`http://[${s}]/`)) return undefined
  return 'must be an IP address'
}
