// A strict JSON reader: JSON.parse keeps the last of duplicate keys silently (Kubernetes' strict
// decoding rejects them), and its messages do not always say where the text broke.

export class JsonSyntaxError extends Error {
  static override readonly name = 'JsonSyntaxError'
  override readonly name = 'JsonSyntaxError'
  constructor(
    message: string,
    /** 1-based. */
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line}, column ${column}`)
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y
const SPACE = /[ \t\n\r]*/y

class Reader {
  private i = 0
  constructor(private readonly text: string) {}

  fail(message: string, at = this.i): never {
    const before = this.text.slice(0, at)
    const line = before.split('\n').length
    throw new JsonSyntaxError(message, line, at - before.lastIndexOf('\n'))
  }

  private space(): void {
    SPACE.lastIndex = this.i
    SPACE.exec(this.text)
    this.i = SPACE.lastIndex
  }

  private match(re: RegExp): string | undefined {
    re.lastIndex = this.i
    const m = re.exec(this.text)
    if (m === null) return undefined
    this.i = re.lastIndex
    return m[0]
  }

  document(): unknown {
    const v = this.value()
    this.space()
    if (this.i < this.text.length) this.fail('unexpected text after the JSON value')
    return v
  }

  private value(): unknown {
    this.space()
    const ch = this.text[this.i]
    if (ch === '{') return this.object()
    if (ch === '[') return this.array()
    if (ch === '"') return this.string()
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length
        return v
      }
    }
    const n = this.match(NUMBER)
    if (n !== undefined) return Number(n)
    return this.fail(ch === undefined ? 'unexpected end of JSON' : `unexpected ${JSON.stringify(ch)}`)
  }

  private string(): string {
    const s = this.match(STRING)
    if (s === undefined) this.fail('malformed string')
    return JSON.parse(s) as string
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    this.i++
    this.space()
    if (this.text[this.i] === '}') return this.i++, out
    for (;;) {
      this.space()
      const at = this.i
      if (this.text[this.i] !== '"') this.fail('expected a string key')
      const key = this.string()
      if (Object.hasOwn(out, key)) this.fail(`duplicate key ${JSON.stringify(key)}`, at)
      this.space()
      if (this.text[this.i++] !== ':') this.fail('expected ":"', this.i - 1)
      // defineProperty: a "__proto__" key is data, as with JSON.parse.
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true })
      this.space()
      const sep = this.text[this.i++]
      if (sep === '}') return out
      if (sep !== ',') this.fail('expected "," or "}"', this.i - 1)
    }
  }

  private array(): unknown[] {
    const out: unknown[] = []
    this.i++
    this.space()
    if (this.text[this.i] === ']') return this.i++, out
    for (;;) {
      out.push(this.value())
      this.space()
      const sep = this.text[this.i++]
      if (sep === ']') return out
      if (sep !== ',') this.fail('expected "," or "]"', this.i - 1)
    }
  }
}

/** JSON.parse, but duplicate keys are errors and every error says where: throws JsonSyntaxError. */
export function parseJsonStrict(text: string): unknown {
  return new Reader(text).document()
}
