// The label selector query-string syntax of Kubernetes (`kubectl get -l`, `?labelSelector=`):
//
//   selector    ::= "" | requirement ("," requirement)*
//   requirement ::= "!" key | key | key ("=" | "==" | "!=") value | key ("in" | "notin") "(" value ("," value)* ")"
//
// Whitespace separates tokens and is otherwise ignored. Every requirement must hold (AND).
import { SelectorError } from './errors.js'
import type { Requirement, Selector } from './selector.js'
import { requirement, selectorOf } from './selector.js'

type TokenKind = 'id' | '!' | '=' | '==' | '!=' | '(' | ')' | ',' | 'end'
interface Token {
  readonly kind: TokenKind
  readonly text: string
  readonly pos: number
}

const SYMBOLS = new Set(['!', '=', '(', ')', ','])

function lex(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (/\s/.test(c)) {
      i++
    } else if (c === '=' || c === '!') {
      const two = text.slice(i, i + 2)
      if (two === '==' || two === '!=') {
        tokens.push({ kind: two, text: two, pos: i })
        i += 2
      } else {
        tokens.push({ kind: c, text: c, pos: i })
        i++
      }
    } else if (SYMBOLS.has(c)) {
      tokens.push({ kind: c as TokenKind, text: c, pos: i })
      i++
    } else {
      const start = i
      while (i < text.length && !SYMBOLS.has(text[i]!) && !/\s/.test(text[i]!)) i++
      tokens.push({ kind: 'id', text: text.slice(start, i), pos: start })
    }
  }
  tokens.push({ kind: 'end', text: '', pos: text.length })
  return tokens
}

class Parser {
  private i = 0
  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.i]!
  }

  private next(): Token {
    return this.tokens[this.i++]!
  }

  fail(message: string, at: Token = this.peek()): never {
    const where = at.kind === 'end' ? 'at the end' : `at position ${at.pos + 1} (${JSON.stringify(at.text)})`
    throw new SelectorError(`invalid label selector ${JSON.stringify(this.source)}: ${message} ${where}`)
  }

  selector(): Requirement[] {
    const reqs: Requirement[] = []
    if (this.peek().kind === 'end') return reqs
    for (;;) {
      reqs.push(this.requirement())
      const t = this.next()
      if (t.kind === 'end') return reqs
      if (t.kind !== ',') this.fail('expected "," between requirements', t)
    }
  }

  private key(): string {
    const t = this.next()
    if (t.kind !== 'id') this.fail('expected a label key', t)
    return t.text
  }

  private requirement(): Requirement {
    if (this.peek().kind === '!') {
      this.next()
      return this.make(this.key(), 'DoesNotExist', [])
    }
    const key = this.key()
    const t = this.peek()
    if (t.kind === ',' || t.kind === 'end') return this.make(key, 'Exists', [])
    this.next()
    if (t.kind === '=' || t.kind === '==') return this.make(key, 'Equals', [this.value()])
    if (t.kind === '!=') return this.make(key, 'NotEquals', [this.value()])
    if (t.kind === 'id' && (t.text === 'in' || t.text === 'notin')) return this.make(key, t.text === 'in' ? 'In' : 'NotIn', this.set())
    return this.fail('expected "=", "==", "!=", "in" or "notin"', t)
  }

  /** A value may be empty (`tier=`): the token after the operator is then "," or the end. */
  private value(): string {
    const t = this.peek()
    if (t.kind === 'id') return this.next().text
    if (t.kind === ',' || t.kind === 'end') return ''
    return this.fail('expected a value', t)
  }

  private set(): string[] {
    if (this.next().kind !== '(') this.fail('expected "(" after in/notin', this.tokens[this.i - 1])
    const values: string[] = []
    for (;;) {
      const t = this.next()
      if (t.kind !== 'id') this.fail('expected a value', t)
      values.push(t.text)
      const sep = this.next()
      if (sep.kind === ')') return values
      if (sep.kind !== ',') this.fail('expected "," or ")"', sep)
    }
  }

  private make(key: string, op: Requirement['operator'], values: string[]): Requirement {
    try {
      return requirement(key, op, values)
    } catch (err) {
      if (err instanceof SelectorError) throw new SelectorError(`invalid label selector ${JSON.stringify(this.source)}: ${err.message}`)
      throw err
    }
  }
}

/** Parses `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`, joined by ","; "" matches everything. Throws SelectorError. */
export function parseSelector(text: string): Selector {
  return selectorOf(new Parser(text, lex(text)).selector())
}
