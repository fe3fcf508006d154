// Bundles the agent (dist/src/agent/main.js, tsc's output) into one file, dist/agent.js, which
// bin/agent.js and every fleet of this build run. Why: loaded as ~800 separate ES modules, the agent
// held ~13 MB more V8 heap (module records, every file's source text, code of unused exports) than as
// one tree-shaken file: a follower running 30 pods 97 MB resident instead of 85 MB (issue #6's goal is
// 100). Whitespace and syntax are minified, names are not, so stack traces still name every function.
// What stays outside the bundle, and the dependency patches: bundle-options.ts.
import { build } from 'esbuild'
import { agentBundleOptions } from './bundle-options.js'

await build({
  ...agentBundleOptions(),
  entryPoints: ['dist/src/agent/main.js'],
  outfile: 'dist/agent.js',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
})
