import { Command, InvalidArgumentError, Option } from 'commander'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { ApiError, StartupError, UsageError } from './errors.js'
import { statusCommand, tokenCommand } from './cli-client.js'
import { addResourceCommands } from './cli-commands.js'
import type { NodeFlags } from './node-options.js'
import { PODMESH_VERSION } from './version.js'

export const DEFAULT_SERVER = 'http://127.0.0.1:7070'
export const DEFAULT_LISTEN = '0.0.0.0:7000'
export const DEFAULT_API = '127.0.0.1:7070'

export function defaultDataDir(): string {
  return process.getuid?.() === 0 ? '/var/lib/podmesh' : join(homedir(), '.podmesh')
}

/** Options shared by `start` and `join`: everything that shapes the long-running agent. */
export interface AgentFlags extends NodeFlags {
  readonly dataDir: string
  readonly listen: string
  readonly advertise?: string
  readonly api: string
  readonly name?: string
  readonly logLevel: string
  readonly logFormat?: 'json' | 'pretty'
  readonly voterGrace: string
  readonly tickMs: string
}

export interface JoinFlags extends AgentFlags {
  readonly token: string
}

function agentOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--data-dir <dir>', 'where this node keeps its Raft log, identity and tokens').env('PODMESH_DATA_DIR').default(defaultDataDir()))
    .addOption(new Option('--listen <host:port>', 'mesh address to listen on (encrypted; closed to those without the join token)').env('PODMESH_LISTEN').default(DEFAULT_LISTEN))
    .addOption(new Option('--advertise <host:port>', 'mesh address other members should dial (default: the listen address, or this host\'s addresses when listening on 0.0.0.0)').env('PODMESH_ADVERTISE'))
    .addOption(new Option('--api <host:port>', 'HTTP API address; anywhere but loopback requires the API bearer token').env('PODMESH_API').default(DEFAULT_API))
    .addOption(new Option('--name <name>', 'this node\'s name in the cluster (default: the host name)').env('PODMESH_NAME'))
    .addOption(new Option('--voter-grace <seconds>', 'replace a voter unreachable for longer than this with a healthy non-voter').env('PODMESH_VOTER_GRACE').default('30'))
    .addOption(new Option('--tick-ms <ms>', 'Raft tick; elections start after 10 to 20 ticks without a leader').env('PODMESH_TICK_MS').default('50'))
    .addOption(new Option('--label <key=value>', "a label of this node's Node object (repeatable; the env var takes key=value,key=value)").env('PODMESH_LABELS').argParser(collectFlag))
    .addOption(new Option('--cpu <quantity>', 'CPU this node offers to pods, e.g. 2 or 1500m (default: its CPU count)').env('PODMESH_CPU'))
    .addOption(new Option('--memory <quantity>', 'memory this node offers to pods, e.g. 4Gi (default: its total memory)').env('PODMESH_MEMORY'))
    .addOption(new Option('--node-grace <seconds>', 'a node silent for this long turns NotReady and its pods are replaced elsewhere').env('PODMESH_NODE_GRACE').default('2'))
    .addOption(new Option('--runtime <name>', 'how this node runs pods: docker, process (child processes, for hosts without Docker) or none (default: docker when its socket answers, else process)').env('PODMESH_RUNTIME'))
    .addOption(new Option('--publish-address <ip>', 'where NodePort services listen on this node (the routing mesh)').env('PODMESH_PUBLISH_ADDRESS').default('0.0.0.0'))
    .addOption(new Option('--service-address <ip>', "where this node's pods reach services: every service port's listener and the DNS answers (default: the Docker bridge gateway with --runtime docker, 127.0.0.1 for processes)").env('PODMESH_SERVICE_ADDRESS'))
    .addOption(new Option('--dns-address <host:port>', 'the service DNS responder (NAME.NAMESPACE.svc), or off (default: the service address, port 53)').env('PODMESH_DNS_ADDRESS'))
    .addOption(new Option('--balance <how>', 'how the routing mesh spreads connections over endpoints').env('PODMESH_BALANCE').choices(['round-robin', 'least-connections']).default('round-robin'))
    .addOption(new Option('--mesh-spares <on|off>', 'keep one connection open ahead of use to each endpoint the routing mesh sends to, so a new connection skips the connect (see docs/services.md)').env('PODMESH_MESH_SPARES').choices(['on', 'off']).default('on'))
    .addOption(new Option('--log-level <level>', 'trace, debug, info, warn or error').env('PODMESH_LOG_LEVEL').default('info'))
    .addOption(new Option('--log-format <format>', 'json, or pretty (default: pretty on a terminal, json otherwise)').env('PODMESH_LOG_FORMAT').choices(['json', 'pretty']))
}

const collectFlag = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v]

/** `127.0.0.1:7070` is taken to mean http://127.0.0.1:7070, as curl would; anything else must be a URL. */
export function serverUrl(text: string): string {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new InvalidArgumentError(`"${text}" is not an agent's address: give http://HOST:PORT`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InvalidArgumentError(`"${text}": the agent API is http:// or https://`)
  return url
}

export function clientOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--server <url>', 'the agent API to talk to (http://host:port; host:port will do)').env('PODMESH_SERVER').default(DEFAULT_SERVER).argParser(serverUrl))
    .addOption(new Option('--api-token <token>', 'bearer token, needed when the API listens beyond loopback').env('PODMESH_API_TOKEN'))
}

export function buildProgram(): Command {
  const program = new Command('agent')
    .description(
      'podmesh: a container orchestrator with no central server. Every node runs this same agent; ' +
        'the agents elect a leader and agree on the cluster through a Raft log embedded in the agent.\n\n' +
        'Form a fleet: `agent start` on one machine, then `agent join <peer> --token <token>` on the others.',
    )
    .version(PODMESH_VERSION, '-V, --version', 'print the podmesh version')
    .showHelpAfterError('(run `agent --help` for usage)')
    .configureHelp({ sortSubcommands: false })

  agentOptions(
    program
      .command('start')
      .description('run this node\'s agent: the first start creates a new one-node cluster and prints the join token; later starts resume from the data dir'),
  )
    .addHelpText('after', '\nExamples:\n  agent start\n  agent start --name n1 --advertise 10.0.0.1:7000 --data-dir /srv/podmesh\n')
    .action(async (flags: AgentFlags) => {
      const { runStart } = await import('./run.js')
      await runStart(flags)
    })

  agentOptions(
    program
      .command('join')
      .description('join an existing cluster through any member (leader or not), then run as one of its agents')
      .argument('<peer>', 'host:port (or multiaddr) of any member\'s mesh address'),
  )
    .addOption(new Option('--token <token>', 'the join token printed by `agent start` or `agent token`').env('PODMESH_TOKEN').makeOptionMandatory())
    .addHelpText('after', '\nExamples:\n  agent join 10.0.0.1:7000 --token pm1.…\n  PODMESH_TOKEN=pm1.… agent join 10.0.0.2:7000 --name n3\n')
    .action(async (peer: string, flags: JoinFlags) => {
      const { runJoin } = await import('./run.js')
      await runJoin(peer, flags)
    })

  clientOptions(program.command('leave').description('leave the cluster gracefully: the node is drained (its pods move elsewhere), its pods removed, then it leaves and its agent stops'))
    .option('--timeout <seconds>', 'how long the drain may take; then the pods still there are deleted with the node', '300')
    .addHelpText('after', '\nExamples:\n  agent leave\n  agent leave --timeout 60 --server http://10.0.0.2:7070 --api-token $TOKEN\n')
    .action(async (flags) => (await import('./cli-leave.js')).leaveCommand(flags))

  program
    .command('token')
    .description('print the join token (or, with --api, the HTTP API bearer token) kept in the data dir')
    .addOption(new Option('--data-dir <dir>', 'the node\'s data dir').env('PODMESH_DATA_DIR').default(defaultDataDir()))
    .option('--api', 'print the API bearer token instead of the join token')
    .addHelpText('after', '\nExamples:\n  agent token\n  export PODMESH_API_TOKEN=$(agent token --api)\n')
    .action(tokenCommand)

  clientOptions(program.command('status').description('show this node, the leader, term, commit and applied index, and every member'))
    .addOption(new Option('-o, --output <format>', 'table or json').choices(['table', 'json']).default('table'))
    .action(statusCommand)
    .addHelpText('after', '\nExamples:\n  agent status\n  agent status -o json --server http://10.0.0.2:7070 --api-token $TOKEN\n')

  addResourceCommands(program, clientOptions)

  program.addHelpText(
    'after',
    '\nExamples:\n' +
      '  agent start                                 # a new one-node cluster; prints the join command\n' +
      '  agent join 10.0.0.1:7000 --token pm1.…      # another machine joins through any member\n' +
      '  agent apply -f web.yaml                     # create or update objects\n' +
      '  agent get pods -o wide                      # list them (also: deploy, svc, cm, secret, no)\n' +
      '  agent describe deploy web                   # one object in detail\n' +
      '  agent scale deploy web --replicas 3\n' +
      '  agent delete -f web.yaml\n' +
      '\nEvery flag can also be set by an environment variable, shown beside it (PODMESH_...).\nRun `agent <command> --help` for a command\'s flags.',
  )
  return program
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv)
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`agent: ${err.message}\n`)
      process.exit(2)
    }
    if (err instanceof StartupError || err instanceof ApiError) {
      process.stderr.write(`agent: ${err.message}\n`)
      process.exit(1)
    }
    throw err
  }
}
