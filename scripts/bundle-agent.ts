// Bundles the agent (dist/src/agent/main.js, tsc's output) into one file, dist/agent.js, which
// bin/agent.js and every fleet of this build run. Why: loaded as ~800 separate ES modules, the agent
// held ~13 MB more V8 heap (module records, every file's source text, code of unused exports) than as
// one tree-shaken file: a follower running 30 pods 97 MB resident instead of 85 MB (issue #6's goal is
// 100). Whitespace and syntax are minified, names are not, so stack traces still name every function.
// Left outside the bundle, loaded from node_modules at run time: the native addons (classic-level,
// msgpackr's optional extractor), pino (its transports start worker threads from their own files) and
// dockerode, which src/runtime/docker/client.ts loads through createRequire. Two dependencies' files are
// patched on the way in (bundle-patches.ts says which and why).
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'
import { patchesPlugin } from './bundle-patches.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

await build({
  absWorkingDir: root,
  entryPoints: ['dist/src/agent/main.js'],
  outfile: 'dist/agent.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [patchesPlugin()],
  external: ['classic-level', 'msgpackr-extract', 'pino', 'pino-pretty', '*.node'],
  // CommonJS packages inside an ES module bundle still call require().
  banner: { js: "import { createRequire as __podmeshRequire } from 'node:module'; const require = __podmeshRequire(import.meta.url);" },
})
