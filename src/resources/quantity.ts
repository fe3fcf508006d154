// Kubernetes resource quantities (resource.Quantity), parsed exactly: "250m", "0.5", "2" CPUs;
// "64Mi", "1G", "512k", "1e6" bytes. The grammar, from k8s.io/apimachinery/pkg/api/resource:
//
//   <quantity> ::= <sign>? <number> <suffix>
//   <number>   ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
//   <suffix>   ::= <binarySI> | <decimalSI> | <decimalExponent>
//   binarySI: Ki Mi Gi Ti Pi Ei   decimalSI: m "" k M G T P E   decimalExponent: e<int> | E<int>
//
// Values are exact (BigInt arithmetic); conversion to whole units rounds UP, as Quantity.MilliValue()
// and Quantity.Value() do: "0.0001" CPU is 1 millicore, "100m" of memory is 1 byte.
import { QuantityError } from './errors.js'

const BINARY: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 }
const DECIMAL: Readonly<Record<string, number>> = { m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 }
const NUMBER = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(.*)$/s
const EXPONENT = /^[eE]([+-]?\d+)$/
/** Beyond this the value is absurd for a resource and BigInt powers would get expensive. */
const MAX_EXPONENT = 64

/** An exact quantity: sign × mantissa × 10^pow10 × 2^pow2. */
export interface ExactQuantity {
  readonly negative: boolean
  readonly mantissa: bigint
  readonly pow10: number
  readonly pow2: number
}

/** Parses the Kubernetes quantity syntax. Numbers (from YAML `cpu: 2`) are read as their decimal text. */
export function parseQuantity(q: string | number): ExactQuantity {
  const text = typeof q === 'number' ? numberText(q) : q
  const m = NUMBER.exec(text)
  if (m === null) throw new QuantityError(`quantity ${JSON.stringify(text)} must match the Kubernetes syntax (e.g. 250m, 0.5, 64Mi, 1G, 1e6)`)
  const [, sign, number, suffix] = m as unknown as [string, string, string, string]
  const [whole, frac = ''] = number.split('.') as [string, string?]
  let pow10 = -frac.length
  let pow2 = 0
  if (suffix in BINARY) pow2 = BINARY[suffix]!
  else if (suffix in DECIMAL) pow10 += DECIMAL[suffix]!
  else {
    const e = EXPONENT.exec(suffix)
    if (e === null) throw new QuantityError(`quantity ${JSON.stringify(text)} has an unknown suffix ${JSON.stringify(suffix)} (use m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or e<n>)`)
    const exp = Number(e[1])
    if (Math.abs(exp) > MAX_EXPONENT) throw new QuantityError(`quantity ${JSON.stringify(text)}: exponent out of range`)
    pow10 += exp
  }
  const mantissa = BigInt((whole + frac).replace(/^0+(?=\d)/, '') || '0')
  return { negative: sign === '-' && mantissa !== 0n, mantissa, pow10, pow2 }
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new QuantityError(`quantity ${n} is not a finite number`)
  return String(n)
}

/** ceil(|q| × 10^-unitPow10), as a BigInt. */
function toUnits(q: ExactQuantity, unitPow10: number): bigint {
  let num = q.mantissa << BigInt(q.pow2)
  let den = 1n
  const p = q.pow10 - unitPow10
  if (p >= 0) num *= 10n ** BigInt(p)
  else den = 10n ** BigInt(-p)
  return (num + den - 1n) / den
}

function toSafeNumber(units: bigint, text: string | number, what: string): number {
  if (units > BigInt(Number.MAX_SAFE_INTEGER)) throw new QuantityError(`quantity ${JSON.stringify(text)} is too large for ${what}`)
  return Number(units)
}

function nonNegative(q: string | number): ExactQuantity {
  const parsed = parseQuantity(q)
  if (parsed.negative) throw new QuantityError(`quantity ${JSON.stringify(q)} must not be negative`)
  return parsed
}

/** CPU quantity → millicores, rounded up: "250m" → 250, "0.5" → 500, "2" → 2000. */
export function parseCpu(q: string | number): number {
  return toSafeNumber(toUnits(nonNegative(q), -3), q, 'millicores')
}

/** Memory quantity → bytes, rounded up: "64Mi" → 67108864, "1G" → 1e9, "1e6" → 1e6. */
export function parseMemory(q: string | number): number {
  return toSafeNumber(toUnits(nonNegative(q), 0), q, 'bytes')
}

/** Millicores → the shortest Kubernetes form: 2000 → "2", 250 → "250m". */
export function formatCpu(millicores: number): string {
  if (!Number.isSafeInteger(millicores) || millicores < 0) throw new QuantityError(`millicores must be a non-negative integer (got ${millicores})`)
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`
}

const BINARY_DESC = Object.entries(BINARY).sort((a, b) => b[1] - a[1])
const DECIMAL_DESC = Object.entries(DECIMAL).filter(([, e]) => e > 0).sort((a, b) => b[1] - a[1])

/**
 * Bytes → the largest exact suffix, binary first: 67108864 → "64Mi", 1e9 → "1G", 1500 → "1500".
 * parseMemory(formatMemory(n)) === n for every safe integer n.
 */
export function formatMemory(bytes: number): string {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new QuantityError(`bytes must be a non-negative integer (got ${bytes})`)
  if (bytes === 0) return '0'
  for (const [suffix, pow2] of BINARY_DESC) {
    const unit = 2 ** pow2
    if (bytes % unit === 0) return `${bytes / unit}${suffix}`
  }
  for (const [suffix, pow10] of DECIMAL_DESC) {
    const unit = 10 ** pow10
    if (bytes % unit === 0) return `${bytes / unit}${suffix}`
  }
  return String(bytes)
}
