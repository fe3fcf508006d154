// A 3-member etcd cluster on 127.0.0.1 for side-by-side benchmarks (`bench:api -- --etcd`): the issues
// give etcd 3.4's figures on this machine as references, and a machine several times slower on one day
// than another makes a reference measured on another day meaningless; measured in the same run it is not.
// etcd comes from Debian (etcd-server); it runs with its defaults, fsync included.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, openSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface EtcdCluster {
  readonly pids: readonly number[]
  /** Client port and process of the member that leads when the cluster is formed. */
  readonly leaderPort: number
  readonly leaderPid: number
  stop: () => Promise<void>
}

/** Installs etcd-server from Debian when `etcd` is missing (the machines here reach Debian's packages). */
export function ensureEtcd(): void {
  if (spawnSync('etcd', ['--version']).status === 0) return
  process.stderr.write('bench: installing etcd-server (Debian) for --etcd...\n')
  const r = spawnSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server'], { stdio: ['ignore', 'ignore', 'inherit'] })
  if (r.status !== 0 || spawnSync('etcd', ['--version']).status !== 0) throw new Error('--etcd needs etcd: apt-get install etcd-server failed; install it and run again')
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

export async function startEtcd(): Promise<EtcdCluster> {
  ensureEtcd()
  const dir = mkdtempSync(join(tmpdir(), 'podmesh-bench-etcd-'))
  const members = await Promise.all(['e1', 'e2', 'e3'].map(async (name) => ({ name, client: await freePort(), peer: await freePort() })))
  const initial = members.map((m) => `${m.name}=http://127.0.0.1:${m.peer}`).join(',')
  const children: ChildProcess[] = members.map((m) =>
    spawn('etcd', [
      '--name', m.name,
      '--data-dir', join(dir, m.name),
      '--listen-client-urls', `http://127.0.0.1:${m.client}`,
      '--advertise-client-urls', `http://127.0.0.1:${m.client}`,
      '--listen-peer-urls', `http://127.0.0.1:${m.peer}`,
      '--initial-advertise-peer-urls', `http://127.0.0.1:${m.peer}`,
      '--initial-cluster', initial,
      '--initial-cluster-state', 'new',
      '--initial-cluster-token', 'podmesh-bench',
      '--log-level', 'error',
    ], { stdio: ['ignore', 'ignore', openSync(join(dir, `${m.name}.log`), 'a')] }),
  )
  const stop = async (): Promise<void> => {
    await Promise.all(children.map(async (c) => {
      if (c.exitCode !== null || c.signalCode !== null) return
      const exited = new Promise((resolve) => c.once('exit', resolve))
      c.kill('SIGTERM')
      await exited
    }))
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const deadline = Date.now() + 30_000
    for (;;) {
      const leader = await leaderIndex(members.map((m) => m.client))
      if (leader !== undefined) return { pids: children.map((c) => c.pid!), leaderPort: members[leader]!.client, leaderPid: children[leader]!.pid!, stop }
      if (Date.now() > deadline) throw new Error('etcd: no leader within 30 s')
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  } catch (err) {
    await stop()
    throw err
  }
}

/** Which member's /v3/maintenance/status says it leads. */
async function leaderIndex(ports: readonly number[]): Promise<number | undefined> {
  for (const [i, port] of ports.entries()) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v3/maintenance/status`, { method: 'POST', body: '{}' })
      const s = (await res.json()) as { header?: { member_id?: string }; leader?: string }
      if (s.leader !== undefined && s.leader !== '0' && s.leader === s.header?.member_id) return i
    } catch {
      // not up yet
    }
  }
  return undefined
}

/** etcd's JSON gateway takes keys and values base64-encoded. */
export const b64 = (s: string): string => Buffer.from(s).toString('base64')
