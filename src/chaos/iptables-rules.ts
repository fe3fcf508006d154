// iptables command lines for the partitions, as argument arrays: built here, run by iptables.ts.
//
// Every rule lives in one dedicated chain, jumped to from INPUT for loopback traffic only, so a run
// never touches other rules and removing the chain removes all it did. Drops happen on INPUT, not
// OUTPUT: a packet dropped in OUTPUT fails the sender's syscall at once (EPERM), while a packet lost
// on the way in is silent, as on a real network.
import type { Cut } from './faults.js'

export const DEFAULT_CHAIN = 'PODMESH-CHAOS'

export type IptablesArgs = readonly string[]

/** `-w`: wait for the xtables lock instead of failing when another iptables runs. */
const W = ['-w', '5']

export function jumpRule(chain: string): string[] {
  return ['INPUT', '-i', 'lo', '-j', chain]
}

/** Creates the chain and hooks it first in INPUT, before any ACCEPT of established traffic. */
export function setupCommands(chain = DEFAULT_CHAIN): IptablesArgs[] {
  return [
    [...W, '-N', chain],
    [...W, '-I', 'INPUT', '1', '-i', 'lo', '-j', chain],
  ]
}

/** Checks whether the jump from INPUT exists (exit status 0 when it does). */
export function checkJumpCommand(chain = DEFAULT_CHAIN): IptablesArgs {
  return [...W, '-C', ...jumpRule(chain)]
}

export function deleteJumpCommand(chain = DEFAULT_CHAIN): IptablesArgs {
  return [...W, '-D', ...jumpRule(chain)]
}

/** Removes every rule and the chain itself; run `deleteJumpCommand` first until it fails. */
export function teardownCommands(chain = DEFAULT_CHAIN): IptablesArgs[] {
  return [
    [...W, '-F', chain],
    [...W, '-X', chain],
  ]
}

export function listChainCommand(chain = DEFAULT_CHAIN): IptablesArgs {
  return [...W, '-n', '-L', chain]
}

/** One DROP per directed cut: packets from `from`'s address to `to`'s address are lost. */
export function cutCommands(cuts: readonly Cut[], addressOf: (slot: number) => string, chain = DEFAULT_CHAIN): IptablesArgs[] {
  return cuts.map((c) => [...W, '-A', chain, '-s', addressOf(c.from), '-d', addressOf(c.to), '-j', 'DROP'])
}

export function healCommand(chain = DEFAULT_CHAIN): IptablesArgs {
  return [...W, '-F', chain]
}

/** Only 127.0.0.x addresses may ever appear in a rule. */
export function assertLoopbackAddress(addr: string): void {
  if (!/^127\.0\.0\.(\d{1,3})$/.test(addr) || Number(addr.split('.')[3]) > 255) {
    throw new Error(`refusing a packet-filter rule for ${addr}: the chaos runner only cuts 127.0.0.x`)
  }
}

export function formatCommand(args: IptablesArgs): string {
  return ['iptables', ...args].join(' ')
}
