// The requests of the API benchmarks (bench-api, bench-floor): 16 ConfigMaps per client, 64-byte values.
import type { LoadRequest } from './http-load.js'

const PADDING = 'v'.repeat(56)

/** A 64-byte value: 8 characters of counter, then padding. */
export const benchValue = (i: number): string => `${String(i).padStart(8, '0')}${PADDING}`

/** Client c's i-th write: one of its 16 ConfigMaps. */
export const configMapPut = (c: number, i: number): LoadRequest => ({
  method: 'PUT',
  path: `/v1/configmaps/bench-${c}-${i % 16}`,
  body: `{"data":{"value":"${benchValue(i)}"}}`,
})
