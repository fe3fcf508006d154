// The esbuild options every bundle of the agent's code is built with: the agent itself
// (scripts/bundle-agent.ts) and what must run as the agent does (bench-floor's replicas).
import type { BuildOptions } from 'esbuild'
import { fileURLToPath } from 'node:url'
import { patchesPlugin } from './bundle-patches.js'

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Left outside the bundle, loaded from node_modules at run time: the native addons (classic-level,
 * msgpackr's optional extractor), pino (its transports start worker threads from their own files) and
 * dockerode, which src/runtime/docker/client.ts loads through createRequire. Two dependencies' files
 * are patched on the way in (bundle-patches.ts says which and why).
 */
export function agentBundleOptions(): BuildOptions {
  return {
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    plugins: [patchesPlugin()],
    external: ['classic-level', 'msgpackr-extract', 'pino', 'pino-pretty', '*.node'],
    // CommonJS packages inside an ES module bundle still call require().
    banner: { js: "import { createRequire as __podmeshRequire } from 'node:module'; const require = __podmeshRequire(import.meta.url);" },
  }
}
