import { mkdir, readFile, rename, writeFile, chmod, stat, unlink } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { StartupError } from './errors.js'

/** What the agent keeps beside its Raft store, in `cluster.json` (mode 0600: it holds secrets). */
export interface ClusterFile {
  readonly version: 1
  /** The join token: whoever holds it can join the mesh. */
  readonly joinToken: string
  /** Bearer token for the HTTP API when it listens beyond loopback. */
  readonly apiToken: string
  /** How this node came to be: it created the cluster, or joined through a peer. */
  readonly origin: { readonly kind: 'created' } | { readonly kind: 'joined'; readonly peer: string }
  readonly createdAt: string
  /** Set by `agent leave`: this data dir no longer belongs to a member. */
  readonly left?: boolean
}

export interface DataDirPaths {
  readonly root: string
  readonly raft: string
  readonly identity: string
  readonly cluster: string
}

export function dataDirPaths(root: string): DataDirPaths {
  return { root, raft: join(root, 'raft'), identity: join(root, 'identity.key'), cluster: join(root, 'cluster.json') }
}

export async function ensureDataDir(root: string): Promise<DataDirPaths> {
  try {
    await mkdir(root, { recursive: true, mode: 0o700 })
  } catch (err) {
    throw new StartupError(`cannot create the data dir ${root}: ${(err as Error).message}; choose another with --data-dir`)
  }
  // Found now rather than halfway through writing the node's identity or its Raft log.
  const probe = join(root, `.write-check-${process.pid}`)
  try {
    await writeFile(probe, '')
    await unlink(probe)
  } catch (err) {
    throw new StartupError(`cannot write in the data dir ${root}: ${(err as Error).message}; give the user the agent runs as write access to it, or choose another with --data-dir`)
  }
  return dataDirPaths(root)
}

export async function readClusterFile(paths: DataDirPaths): Promise<ClusterFile | undefined> {
  let text: string
  try {
    text = await readFile(paths.cluster, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new StartupError(`cannot read ${paths.cluster}: ${(err as Error).message}`)
  }
  try {
    const parsed = JSON.parse(text) as ClusterFile
    if (parsed.version !== 1 || typeof parsed.joinToken !== 'string') throw new Error('unknown format')
    return parsed
  } catch (err) {
    throw new StartupError(
      `${paths.cluster} is corrupt (${(err as Error).message}). Restore it from a backup, or remove the data dir ${paths.root} and join the cluster again with \`agent join\``,
    )
  }
}

export async function writeClusterFile(paths: DataDirPaths, file: ClusterFile): Promise<void> {
  const tmp = `${paths.cluster}.tmp`
  await writeFile(tmp, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 })
  await chmod(tmp, 0o600)
  await rename(tmp, paths.cluster)
}

export function newApiToken(): string {
  return randomBytes(24).toString('base64url')
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}
