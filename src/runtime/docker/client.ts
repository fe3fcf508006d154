// dockerode loads, as it is required, BuildKit's gRPC session support (@grpc/grpc-js, @grpc/proto-loader),
// ssh2 (for ssh:// hosts) and tar-fs (for image builds). podmesh uses none of them, and they cost every
// agent about 5 MB of resident memory (83 → 78 MB idle, measured with one agent). So they are put into
// Node's CommonJS module cache as empty modules before dockerode loads: the features that need them
// (builds, ssh:// hosts) fail, and podmesh has none.
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import type DockerType from 'dockerode'

const require = createRequire(import.meta.url)
const UNUSED = ['ssh2', '@grpc/grpc-js', '@grpc/proto-loader', 'tar-fs']

function loadDockerode (): typeof DockerType {
  const from = [dirname(require.resolve('dockerode')), dirname(require.resolve('docker-modem'))]
  for (const name of UNUSED) {
    let path: string
    try {
      path = require.resolve(name, { paths: from })
    } catch {
      continue // not installed: nothing to avoid
    }
    require.cache[path] ??= { id: path, filename: path, loaded: true, exports: {} } as NodeJS.Module
  }
  return require('dockerode') as typeof DockerType
}

/** dockerode's client class, without the parts podmesh never uses. */
export const Docker = loadDockerode()
