// The node's Ed25519 identity: its libp2p PeerId is the node id Raft uses, so it must survive restarts.
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { IdentityFileError } from './errors.js'
import type { PrivateKey } from '@libp2p/interface'

export const IDENTITY_FILE = 'identity.key'

/** Loads `<dataDir>/identity.key`, creating it (and dataDir, mode 0700) on first start. */
export async function loadOrCreateIdentity (dataDir: string): Promise<PrivateKey> {
  const file = join(dataDir, IDENTITY_FILE)
  const existing = await readIdentity(file)
  if (existing !== undefined) return existing
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const key = await generateKeyPair('Ed25519')
  await writeAtomically(file, privateKeyToProtobuf(key))
  return key
}

/** The node id (PeerId string) of a private key. */
export function nodeIdOf (key: PrivateKey): string {
  return peerIdFromPrivateKey(key).toString()
}

async function readIdentity (file: string): Promise<PrivateKey | undefined> {
  let mode: number
  try {
    const st = await stat(file)
    if (!st.isFile()) throw new IdentityFileError(file, 'is not a regular file')
    mode = st.mode
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    if (err instanceof IdentityFileError) throw err
    throw new IdentityFileError(file, `cannot be read: ${(err as Error).message}`, { cause: err })
  }
  // Group or world access to the private key means it may have leaked: refuse, as ssh does.
  if ((mode & 0o077) !== 0) {
    throw new IdentityFileError(file, `has permissions ${(mode & 0o777).toString(8)}, expected 600 (run: chmod 600 ${file})`)
  }
  const bytes = await readFile(file)
  let key: PrivateKey
  try {
    key = privateKeyFromProtobuf(bytes)
  } catch (err) {
    throw new IdentityFileError(file, 'does not hold a libp2p private key (corrupt or not an identity file)', { cause: err })
  }
  if (key.type !== 'Ed25519') throw new IdentityFileError(file, `holds a ${key.type} key, expected Ed25519`)
  return key
}

async function writeAtomically (file: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`
  const fh = await open(tmp, 'wx', 0o600)
  try {
    await fh.writeFile(bytes)
    await fh.sync()
  } catch (err) {
    await fh.close()
    await unlink(tmp).catch(() => {})
    throw err
  }
  await fh.close()
  await rename(tmp, file)
  await syncDir(dirname(file))
}

async function syncDir (dir: string): Promise<void> {
  const fh = await open(dir, 'r')
  try { await fh.sync() } catch { /* some filesystems refuse fsync on directories */ } finally { await fh.close() }
}
