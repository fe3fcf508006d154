import { Command } from 'commander'
import { readFileSync } from 'node:fs'

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

export function buildProgram(): Command {
  return new Command('agent')
    .description('podmesh agent: every node runs the same agent; the agents agree on the cluster through an embedded Raft log.')
    .version(packageVersion(), '-V, --version', 'print the podmesh version')
    .showHelpAfterError('(run `agent --help` for usage)')
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv)
}
