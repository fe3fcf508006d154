// Changes to dependencies' code that the agent's bundle is built with (an esbuild plugin).
//
// Each patch replaces one exact piece of one file, and the build fails when that piece is not found
// exactly once: an upgraded dependency then gets looked at again instead of silently running unpatched.
// Only the bundle (what every agent runs) is patched; node_modules is left as npm installed it. Both
// patches keep the wire format and what the code does, and only cut work from every message:
import { readFile } from 'node:fs/promises'
import type { Plugin } from 'esbuild'

export interface SourcePatch {
  /** The file, as its path ends under node_modules. */
  readonly file: string
  readonly why: string
  readonly find: string
  readonly replace: string
}

export const PATCHES: readonly SourcePatch[] = [
  {
    file: '@chainsafe/libp2p-yamux/dist/src/stream.js',
    why:
      'yamux answered every data frame received with a window update frame: one more frame to encrypt, ' +
      'send, receive and decrypt per Raft message on each side. Like hashicorp/yamux and rust-yamux, ' +
      'a stream now sends one when at least half of its receive window has been used (or to send flags).',
    find: `        // determine the flags if any\n        const flags = this.getSendFlags();\n`,
    replace:
      `        // determine the flags if any\n        const flags = this.getSendFlags();\n` +
      `        if (flags === 0 && this.recvWindow - this.recvWindowCapacity < this.recvWindow / 2) {\n` +
      `            return;\n` +
      `        }\n`,
  },
  {
    file: '@libp2p/utils/dist/src/length-prefixed-decoder.js',
    why:
      'after the last whole message of a chunk, the decoder learnt that no length prefix follows by ' +
      'calling the length decoder on an empty buffer, which throws a RangeError (with its stack trace) ' +
      'that it then catches: on Noise, once for every chunk a connection receives.',
    find: `        while (true) {\n            let dataLength;\n`,
    replace: `        while (this.buffer.byteLength > 0) {\n            let dataLength;\n`,
  },
]

/** Applies a file's patches to its source; throws when one does not match exactly once. */
export function applyPatches(file: string, source: string, patches: readonly SourcePatch[] = PATCHES): string {
  let out = source
  for (const p of patches.filter((p) => p.file === file)) {
    const at = out.indexOf(p.find)
    if (at < 0 || out.indexOf(p.find, at + 1) >= 0) {
      throw new Error(`bundle patch for ${file} does not apply (${at < 0 ? 'not found' : 'found more than once'}): the dependency changed; check whether it is still needed (${p.why})`)
    }
    out = out.slice(0, at) + p.replace + out.slice(at + p.find.length)
  }
  return out
}

/** The esbuild plugin: every patched file must be loaded, so a patch of a file no longer bundled fails too. */
export function patchesPlugin(patches: readonly SourcePatch[] = PATCHES): Plugin {
  const files = [...new Set(patches.map((p) => p.file))]
  return {
    name: 'podmesh-patches',
    setup(build) {
      const loaded = new Set<string>()
      const escaped = files.map((f) => f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')
      build.onLoad({ filter: new RegExp(`node_modules/(${escaped})$`) }, async (args) => {
        const file = files.find((f) => args.path.endsWith(`node_modules/${f}`))!
        loaded.add(file)
        return { contents: applyPatches(file, await readFile(args.path, 'utf8'), patches), loader: 'js' }
      })
      build.onEnd((result) => {
        if (result.errors.length > 0) return
        const missing = files.filter((f) => !loaded.has(f))
        if (missing.length > 0) throw new Error(`bundle patches for files not in the bundle: ${missing.join(', ')}`)
      })
    },
  }
}
