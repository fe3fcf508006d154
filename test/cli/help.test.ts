// `agent --help` and `agent CMD --help` are complete: every command has a description and examples,
// and every client command takes --server and --api-token.
import t from 'tap'
import { buildProgram, serverUrl } from '../../src/agent/cli.js'

const CLIENT_COMMANDS = ['leave', 'status', 'apply', 'get', 'describe', 'delete', 'scale']

/** The program with every command throwing instead of exiting, and what it prints gathered. */
function capturedProgram() {
  const program = buildProgram()
  const out = { text: '' }
  const capture = (c: typeof program) => {
    c.exitOverride().configureOutput({ writeOut: (s) => (out.text += s), writeErr: (s) => (out.text += s) })
    c.commands.forEach(capture)
  }
  capture(program)
  return { program, out }
}

async function help(args: string[]): Promise<string> {
  const { program, out } = capturedProgram()
  await program.parseAsync(['node', 'agent', ...args, '--help']).catch((err: { code?: string }) => {
    if (err.code !== 'commander.helpDisplayed' && err.code !== 'commander.help') throw err
  })
  return out.text
}

t.test('the top-level help lists every command, with examples', async (t) => {
  const text = await help([])
  for (const c of ['start', 'join', 'leave', 'token', 'status', ...CLIENT_COMMANDS]) t.match(text, new RegExp(`\\n  ${c} `), c)
  t.match(text, /Examples:\n {2}agent start/)
})

t.test('every command has examples; client commands take --server and --api-token with their env vars', async (t) => {
  for (const c of ['start', 'join', 'token', ...CLIENT_COMMANDS]) {
    const text = await help([c])
    t.match(text, /\nExamples:\n {2}.*agent /, `${c} has examples`)
    if (CLIENT_COMMANDS.includes(c)) {
      t.match(text, /--server <url>[\s\S]*env:\s+PODMESH_SERVER/, `${c} --server`)
      t.match(text, /--api-token <token>[\s\S]*env:\s+PODMESH_API_TOKEN/, `${c} --api-token`)
    }
  }
})

t.test('namespaced commands take -n with PODMESH_NAMESPACE; get documents its output formats and kinds', async (t) => {
  for (const c of ['get', 'describe', 'delete', 'scale']) t.match(await help([c]), /-n, --namespace <ns>[\s\S]*env:\s+PODMESH_NAMESPACE/, c)
  const get = await help(['get'])
  for (const flag of ['-A, --all-namespaces', '-l, --selector', '-o, --output', '-w, --watch', '--show-secrets']) t.match(get, flag)
  t.match(get, /Kinds: pods \(pod, po\), deployments \(deployment, deploy\)/)
})

t.test('--server takes a URL or host:port (read as http://); another scheme or a non-address is refused', async (t) => {
  t.equal(serverUrl('127.0.0.1:7070'), 'http://127.0.0.1:7070')
  t.equal(serverUrl('http://10.0.0.1:7070'), 'http://10.0.0.1:7070')
  t.equal(serverUrl('https://node-1:7070'), 'https://node-1:7070')
  t.throws(() => serverUrl('ftp://x'), { message: '"ftp://x": the agent API is http:// or https://' })
  t.throws(() => serverUrl('a b:7070'), { message: `"a b:7070" is not an agent's address: give http://HOST:PORT` })
})

t.test('-n of deployment and pod commands speaks of them, not of nodes', async (t) => {
  for (const c of [['scale'], ['rollout', 'status'], ['rollout', 'undo'], ['logs']]) {
    const text = await help(c)
    t.match(text, /-n, --namespace <ns>\s+the (deployment|pod)'s namespace/, c.join(' '))
    t.notMatch(text, /ignored for nodes/, c.join(' '))
  }
  t.match(await help(['apply']), /-n, --namespace <ns>[\s\S]*env:\s+PODMESH_NAMESPACE/, 'apply takes -n')
})

t.test('an empty namespace (-n \'\' or PODMESH_NAMESPACE=) is refused, pointing at -A', async (t) => {
  const run = async (args: string[], env?: string) => {
    const saved = process.env.PODMESH_NAMESPACE
    if (env === undefined) delete process.env.PODMESH_NAMESPACE
    else process.env.PODMESH_NAMESPACE = env
    const { program, out } = capturedProgram()
    try {
      await program.parseAsync(['node', 'agent', ...args])
    } catch (err) {
      return { code: (err as { code?: string }).code, text: out.text }
    } finally {
      if (saved === undefined) delete process.env.PODMESH_NAMESPACE
      else process.env.PODMESH_NAMESPACE = saved
    }
    return { code: 'none', text: out.text }
  }
  for (const r of [await run(['get', 'cm', '-n', '']), await run(['get', 'cm'], ''), await run(['delete', 'cm', 'x', '--namespace='])]) {
    t.equal(r.code, 'commander.invalidArgument')
    t.match(r.text, /the namespace is empty: give one, or use -A \(get\) for all namespaces/)
  }
})
