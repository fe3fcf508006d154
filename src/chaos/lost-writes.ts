// "No acknowledged write is ever lost": checked against the final reads, taken after every fault was
// healed and every client stopped.
//
// Every write puts a fresh value, so the final value F of a key names the write x that put it.
// An acknowledged write w called after x had returned (w.call > x.return) must be ordered after x,
// so F should have been replaced by w or a later value: w is lost. When no write put F (F is null
// or a value nobody wrote), every acknowledged write is lost. A write whose outcome is unknown may
// have happened at any time after its call, so it never serves as x's bound.
// The linearizability check covers this too; this count names the writes.
import type { RegisterOperation } from './linearizability.js'
import type { RegisterValue } from './register-model.js'

export interface LostWrite {
  readonly key: string
  readonly id: RegisterOperation['id']
  readonly value: RegisterValue
  readonly finalValue: RegisterValue
}

function writtenValue(op: RegisterOperation): RegisterValue | undefined {
  return op.input.type === 'read' ? undefined : op.input.value
}

/** `finalValues`: each key's value in the final reads (keys absent from it are not checked). */
export function findLostWrites(history: readonly RegisterOperation[], finalValues: ReadonlyMap<string, RegisterValue>): LostWrite[] {
  const writesByKey = new Map<string, RegisterOperation[]>()
  for (const op of history) {
    if (writtenValue(op) === undefined) continue
    const list = writesByKey.get(op.key) ?? []
    list.push(op)
    writesByKey.set(op.key, list)
  }
  const lost: LostWrite[] = []
  for (const [key, writes] of writesByKey) {
    if (!finalValues.has(key)) continue
    const finalValue = finalValues.get(key)!
    const writer = finalValue === null ? undefined : writes.find((x) => writtenValue(x) === finalValue)
    const bound = writer === undefined ? -Infinity : writer.output.type === 'unknown' || writer.return === null ? Infinity : writer.return
    for (const w of writes) {
      if (w === writer || w.output.type !== 'ok' || w.call <= bound) continue
      lost.push({ key, id: w.id, value: writtenValue(w)!, finalValue })
    }
  }
  return lost
}
