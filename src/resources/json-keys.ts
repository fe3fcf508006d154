// JSON.parse keeps the last of duplicate keys silently; Kubernetes' strict decoding rejects them.
// This scans text that JSON.parse has already accepted, so it only needs to track structure.

export interface DuplicateKey {
  readonly key: string
  /** 1-based line of the second occurrence. */
  readonly line: number
}

interface Frame {
  readonly keys: Set<string> | undefined
  expectKey: boolean
}

/** The first duplicate key of any object in already-valid JSON text, if there is one. */
export function scanJsonDuplicateKeys(text: string): DuplicateKey | undefined {
  const stack: Frame[] = []
  let line = 1
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '\n') line++
    else if (ch === '{') stack.push({ keys: new Set(), expectKey: true })
    else if (ch === '[') stack.push({ keys: undefined, expectKey: false })
    else if (ch === '}' || ch === ']') stack.pop()
    else if (ch === ',') {
      const top = stack.at(-1)
      if (top?.keys !== undefined) top.expectKey = true
    } else if (ch === '"') {
      const end = stringEnd(text, i)
      const top = stack.at(-1)
      if (top?.keys !== undefined && top.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string
        if (top.keys.has(key)) return { key, line }
        top.keys.add(key)
        top.expectKey = false
      }
      i = end
    }
  }
  return undefined
}

/** Index of the closing quote of the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1
  return i
}
