// Runs the rules of iptables-rules.ts: a dedicated chain, removed on close, on exit and, if a
// previous run left one behind, before a run starts.
import { execFile, execFileSync } from 'node:child_process'
import type { Cut } from './faults.js'
import type { FilterMode, PacketFilter } from './filter.js'
import {
  assertLoopbackAddress, checkJumpCommand, cutCommands, DEFAULT_CHAIN, deleteJumpCommand, formatCommand,
  healCommand, listChainCommand, setupCommands, teardownCommands, type IptablesArgs,
} from './iptables-rules.js'

export class IptablesError extends Error {
  static override readonly name = 'IptablesError'
  override readonly name = 'IptablesError'
}

function run(args: IptablesArgs): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('iptables', [...args], { timeout: 10_000 }, (err, _stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0
      resolve({ code, stderr: String(stderr) })
    })
  })
}

async function must(args: IptablesArgs): Promise<void> {
  const r = await run(args)
  if (r.code !== 0) throw new IptablesError(`${formatCommand(args)} failed (${r.code}): ${r.stderr.trim()}`)
}

/** Why iptables cannot be used here, or undefined when it can. */
export async function iptablesUnavailable(): Promise<string | undefined> {
  if (process.platform !== 'linux') return `packet filtering needs Linux (this is ${process.platform})`
  if (process.getuid?.() !== 0) return 'not running as root'
  const r = await run(['-w', '5', '-n', '-L', 'INPUT'])
  if (r.code !== 0) return r.code === -1 ? 'iptables is not installed' : `iptables does not work here: ${r.stderr.trim()}`
  return undefined
}

/** Removes the chain and its jump if they exist (a previous run's leftovers); true if something was removed. */
export async function removeStaleChain(chain = DEFAULT_CHAIN): Promise<boolean> {
  let removed = false
  // Bounded: at most a few duplicate jumps.
  for (let i = 0; i < 10 && (await run(checkJumpCommand(chain))).code === 0; i++) {
    await run(deleteJumpCommand(chain))
    removed = true
  }
  if ((await run(listChainCommand(chain))).code === 0) {
    for (const cmd of teardownCommands(chain)) await run(cmd)
    removed = true
  }
  return removed
}

export class IptablesFilter implements PacketFilter {
  readonly mode: FilterMode = 'iptables'
  private open = false

  private constructor(
    private readonly addressOf: (slot: number) => string,
    private readonly chain: string,
  ) {}

  static async create(addressOf: (slot: number) => string, chain = DEFAULT_CHAIN): Promise<IptablesFilter> {
    const f = new IptablesFilter(addressOf, chain)
    for (const cmd of setupCommands(chain)) await must(cmd)
    f.open = true
    return f
  }

  async apply(cuts: readonly Cut[]): Promise<void> {
    await must(healCommand(this.chain))
    for (const c of cuts) {
      assertLoopbackAddress(this.addressOf(c.from))
      assertLoopbackAddress(this.addressOf(c.to))
    }
    for (const cmd of cutCommands(cuts, this.addressOf, this.chain)) await must(cmd)
  }

  async heal(): Promise<void> {
    await must(healCommand(this.chain))
  }

  async close(): Promise<void> {
    if (!this.open) return
    this.open = false
    await removeStaleChain(this.chain)
  }

  closeNow(): void {
    if (!this.open) return
    this.open = false
    const quiet = (args: IptablesArgs) => {
      try {
        execFileSync('iptables', [...args], { stdio: 'ignore', timeout: 10_000 })
        return true
      } catch {
        return false
      }
    }
    for (let i = 0; i < 10 && quiet(deleteJumpCommand(this.chain)); i++);
    for (const cmd of teardownCommands(this.chain)) quiet(cmd)
  }
}
