// Ages as kubectl prints them (k8s.io/apimachinery duration.HumanDuration): precise while short,
// coarser as they grow: 45s, 2m30s, 3m, 5h12m, 2d3h, 40d, 2y10d.

/** A duration in milliseconds, humanized; `<invalid>` when more than a second negative (clock skew). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 60 * 2) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`
  if (minutes < 60 * 3) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`
  if (hours < 48) return `${hours}h`
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`
  const years = Math.floor(hours / 24 / 365)
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365
    return days === 0 ? `${years}y` : `${years}y${days}d`
  }
  return `${years}y`
}

/** The age of an object created at `timestamp` (RFC 3339), seen at `now`; `<unknown>` without a timestamp. */
export function age(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>'
  const t = Date.parse(timestamp)
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t)
}
