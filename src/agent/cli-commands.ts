// The resource commands of `agent`: apply, get, describe, delete, scale. Each command's module does
// the work; this file only declares flags, help and examples.
import { InvalidArgumentError, Option, type Command } from 'commander'
import { knownKindNames } from './cli-kinds.js'

type AddClientOptions = (cmd: Command) => Command

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v]

// An empty -n would reach the API as no namespace at all, which lists every namespace: refused here.
const nonEmptyNamespace = (v: string): string => {
  if (v === '') throw new InvalidArgumentError('the namespace is empty: give one, or use -A (get) for all namespaces')
  return v
}

const namespaceOption = (help = 'the namespace (ignored for nodes, which belong to no namespace)') =>
  new Option('-n, --namespace <ns>', help).env('PODMESH_NAMESPACE').default('default').argParser(nonEmptyNamespace)

const filenameOption = (what: string) => new Option('-f, --filename <path>', `${what}: a file, a directory (its *.yaml, *.yml, *.json in name order) or - for stdin; repeatable`).argParser(collect)

const staleOption = () =>
  new Option('--stale', "answer from this node's copy of the state without confirming it with the leader: works while the fleet has no quorum, but may be behind")

const KINDS_HELP = `\nKinds: ${knownKindNames()}.\nA kind may be plural, singular or short, in any case; \`kind/name\` works too.`

function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`
}

export function addResourceCommands(program: Command, clientOptions: AddClientOptions): void {
  addApply(program, clientOptions)
  addGet(program, clientOptions)
  addDescribe(program, clientOptions)
  addDelete(program, clientOptions)
  addScale(program, clientOptions)
  addRollout(program, clientOptions)
  addLogs(program, clientOptions)
  addNodeCommands(program, clientOptions)
}

function addLogs(program: Command, clientOptions: AddClientOptions): void {
  clientOptions(program.command('logs').description("print a pod container's output, from any node: the request is relayed to the node that runs the pod"))
    .argument('<pod>', 'the pod (or pod/name)')
    .option('-c, --container <name>', 'the container (needed when the pod has more than one)')
    .option('-f, --follow', 'keep printing new output until interrupted')
    .option('--tail <lines>', 'only the last N lines of the output so far')
    .option('-p, --previous', 'the output of the previous run of a restarted container')
    .addOption(namespaceOption("the pod's namespace"))
    .addHelpText('after', examples(['agent logs web-7d9f-x2k4q', 'agent logs web-7d9f-x2k4q -c sidecar --tail 20', 'agent logs pod/web-7d9f-x2k4q -f']))
    .action(async (pod: string, flags) => (await import('./cli-logs.js')).logsCommand(pod, flags))
}

function addRollout(program: Command, clientOptions: AddClientOptions): void {
  const rollout = program.command('rollout').description("follow and steer a deployment's rolling update: status, history, undo, pause, resume")
  const sub = (name: string, description: string, help: readonly string[]) =>
    clientOptions(rollout.command(name).description(description))
      .argument('<kind>', 'deployment (or deployment/name)')
      .argument('[name]', 'the deployment')
      .addOption(namespaceOption("the deployment's namespace"))
      .addHelpText('after', examples(help))
  sub('status', 'follow the rollout until it completes or fails (exit 1 when it failed or was rolled back)', ['agent rollout status deployment web', 'agent rollout status deploy/web --timeout 60'])
    .option('--timeout <seconds>', 'stop waiting after this long (0: wait until it ends)', '0')
    .option('--no-watch', 'print the current state once instead of following it')
    .action(async (kind: string, name: string | undefined, flags) => (await import('./cli-rollout.js')).rolloutStatusCommand(kind, name, flags))
  sub('history', "list the deployment's revisions", ['agent rollout history deployment web', 'agent rollout history deploy/web --revision 3'])
    .option('--revision <n>', "show one revision's pod template")
    .action(async (kind: string, name: string | undefined, flags) => (await import('./cli-rollout.js')).rolloutHistoryCommand(kind, name, flags))
  sub('undo', 'roll back to the previous revision, or to --to-revision', ['agent rollout undo deployment web', 'agent rollout undo deploy/web --to-revision 2'])
    .option('--to-revision <n>', 'the revision to go back to (default: the one before the current)')
    .action(async (kind: string, name: string | undefined, flags) => (await import('./cli-rollout.js')).rolloutUndoCommand(kind, name, flags))
  sub('pause', 'stop the rollout where it is: template changes wait until resume', ['agent rollout pause deployment web'])
    .action(async (kind: string, name: string | undefined, flags) => (await import('./cli-rollout.js')).rolloutPauseCommand(kind, name, flags, true))
  sub('resume', 'go on with a paused rollout', ['agent rollout resume deployment web'])
    .action(async (kind: string, name: string | undefined, flags) => (await import('./cli-rollout.js')).rolloutPauseCommand(kind, name, flags, false))
}

function addNodeCommands(program: Command, clientOptions: AddClientOptions): void {
  clientOptions(program.command('cordon').description('mark a node unschedulable: no new pods go there; its pods keep running'))
    .argument('<node>', 'the node')
    .addHelpText('after', examples(['agent cordon n2']))
    .action(async (name: string, flags) => (await import('./node-cli.js')).cordonCommand(name, flags))
  clientOptions(program.command('uncordon').description('mark a node schedulable again (also ends a drain)'))
    .argument('<node>', 'the node')
    .addHelpText('after', examples(['agent uncordon n2']))
    .action(async (name: string, flags) => (await import('./node-cli.js')).uncordonCommand(name, flags))
  clientOptions(program.command('drain').description("cordon a node and move its pods elsewhere, one at a time, keeping each deployment's availability"))
    .argument('<node>', 'the node')
    .option('--timeout <seconds>', 'give up waiting after this long (the drain itself goes on)', '300')
    .addHelpText(
      'after',
      '\nA pod is replaced first when its deployment could not spare it (maxUnavailable); pods without a\n' +
        'controller are left on the node and named. `agent uncordon` ends the drain.\n' +
        examples(['agent drain n2', 'agent drain n2 --timeout 60']),
    )
    .action(async (name: string, flags) => (await import('./node-cli.js')).drainCommand(name, flags))
}

function addApply(program: Command, clientOptions: AddClientOptions): void {
  clientOptions(program.command('apply').description('create or update objects from YAML or JSON manifests; each file is applied atomically'))
    .addOption(filenameOption('manifests to apply').makeOptionMandatory())
    .addOption(namespaceOption("the namespace of objects that name none (nodes have none); given as -n, an object naming another one is an error"))
    .option('--dry-run', 'validate and show what would change, without changing anything')
    .option('--wait', 'after applying, follow each changed deployment until its rollout completes (live progress on a terminal); exit 1 if one fails')
    .option('--timeout <seconds>', 'with --wait: stop waiting after this long', '300')
    .addHelpText(
      'after',
      '\nA file may hold several YAML documents (separated by ---), a JSON object, a JSON array or a List.\n' +
        'Every object in one file is applied in one Raft entry: all of them or none. With several files,\n' +
        'all are validated first (nothing is applied if any is invalid), then applied one file at a time, in order.\n' +
        'Prints one line per object: created, configured or unchanged. A file with no documents (empty, or only comments) is skipped.\n' +
        examples(['agent apply -f web.yaml', 'agent apply -f manifests/            # every *.yaml, *.yml, *.json, by name', 'agent apply -f a.yaml -f b.json --dry-run', 'cat web.yaml | agent apply -f -']),
    )
    .action(async (flags, cmd: Command) => (await import('./cli-apply.js')).applyCommand({ ...flags, namespaceExplicit: cmd.getOptionValueSource('namespace') === 'cli' }))
}

function addGet(program: Command, clientOptions: AddClientOptions): void {
  clientOptions(program.command('get').description('list objects of a kind, or show one, as a table or as JSON/YAML'))
    .argument('<kind>', 'what to list: pods, deployments, services, configmaps, secrets, nodes (or kind/name)')
    .argument('[name]', 'one object instead of the list')
    .addOption(namespaceOption())
    .option('-A, --all-namespaces', 'list across every namespace (adds a NAMESPACE column)')
    .option('-l, --selector <selector>', 'label selector: a=b, a!=b, a in (x,y), a notin (x,y), a, !a; comma means and')
    .addOption(new Option('-o, --output <format>', 'wide (more columns), json, yaml or name (kind/name)').choices(['wide', 'json', 'yaml', 'name']))
    .option('-w, --watch', 'after printing, keep printing a line per change until interrupted')
    .option('--show-secrets', "print Secrets' values (otherwise the API returns them as <redacted>)")
    .addOption(staleOption())
    .addHelpText(
      'after',
      KINDS_HELP +
        '\n' +
        examples(['agent get pods', 'agent get po -o wide -l app=web', 'agent get deploy web -o yaml', 'agent get deployment/web -n shop', 'agent get svc -A', 'agent get nodes', 'agent get pods -w']),
    )
    .action(async (kind: string, name: string | undefined, flags) => (await import('./cli-get.js')).getCommand(kind, name, flags))
}

function addDescribe(program: Command, clientOptions: AddClientOptions): void {
  clientOptions(program.command('describe').description('show one object in detail: metadata, spec, status, and why a pod is pending'))
    .argument('<kind>', 'the kind (or kind/name)')
    .argument('[name]', 'the object')
    .addOption(namespaceOption())
    .addOption(staleOption())
    .addHelpText('after', KINDS_HELP + "\nA Secret shows its keys and their sizes, never its values.\n" + examples(['agent describe pod web-7d9f-x2k4q', 'agent describe deploy/web -n shop', 'agent describe node n1']))
    .action(async (kind: string, name: string | undefined, flags) => (await import('./cli-describe.js')).describeCommand(kind, name, flags))
}

function addDelete(program: Command, clientOptions: AddClientOptions): void {
  clientOptions(program.command('delete').description('delete an object by kind and name, or every object in manifests'))
    .argument('[kind]', 'the kind (or kind/name)')
    .argument('[name]', 'the object')
    .addOption(namespaceOption())
    .addOption(filenameOption('manifests whose objects to delete'))
    .option('--ignore-not-found', 'an object that does not exist is not an error')
    .addHelpText('after', KINDS_HELP + '\n' + examples(['agent delete deployment web', 'agent delete cm/settings -n shop', 'agent delete -f web.yaml --ignore-not-found']))
    .action(async (kind: string | undefined, name: string | undefined, flags) => (await import('./cli-delete.js')).deleteCommand(kind, name, flags))
}

function addScale(program: Command, clientOptions: AddClientOptions): void {
  clientOptions(program.command('scale').description("set a deployment's number of replicas"))
    .argument('<kind>', 'deployment (or deployment/name)')
    .argument('[name]', 'the deployment')
    .addOption(new Option('--replicas <n>', 'the number of pods wanted').makeOptionMandatory())
    .addOption(namespaceOption("the deployment's namespace"))
    .addHelpText(
      'after',
      "\nReads the deployment, sets spec.replicas and writes it back only if nobody changed it in between\n(compare-and-set on its resourceVersion); on a conflict it reads again and retries.\n" +
        examples(['agent scale deployment web --replicas 5', 'agent scale deploy/web --replicas 0 -n shop']),
    )
    .action(async (kind: string, name: string | undefined, flags) => (await import('./cli-scale.js')).scaleCommand(kind, name, flags))
}
