// The registration of the commands that set events up rather than read the mirror: profiles,
// described providers, the demo and shell completion (see commands-table.ts).
import { Argument, type Command } from 'commander';
import { PROVIDER_NAMES } from '../providers/names.js';
import type { Run, Session } from './session.js';
import { subcommand } from './subcommands.js';

export function setupCommands(program: Command, run: Run): Record<string, () => void> {
  return {
    profile: () => {
      const profile = program.command('profile').description('manage saved profiles (provider accounts)');
      const load = async () => import('./commands/profile.js');
      const name: [string, string] = ['<name>', 'the profile name'];
      subcommand(profile, 'add', 'save a profile; the key comes from stdin or an environment variable', name)
        .option('--provider <provider>', `the provider: ${PROVIDER_NAMES.join(', ')}, or a described one (events provider list)`)
        .option('--base-url <url>', "replace the provider's base URL (e.g. a local stand-in)")
        .option('--api-key-stdin', 'read the API key from standard input')
        .option('--api-key-env <var>', 'read the API key from this environment variable')
        .option('--webhook-secret-stdin', 'read the webhook secret replay and forward sign with from standard input')
        .option('--webhook-secret-env <var>', 'read the webhook secret replay and forward sign with from this environment variable')
        .action(run(async () => (await load()).profileAdd));
      subcommand(profile, 'list', 'list saved profiles (* marks the default)').action(run(async () => (await load()).profileList));
      subcommand(profile, 'show', 'show a profile, its key and webhook secret masked', name).action(run(async () => (await load()).profileShow));
      subcommand(profile, 'remove', 'delete a saved profile (its events stay in the mirror)', name).action(run(async () => (await load()).profileRemove));
      subcommand(profile, 'use', 'make a profile the default', name).action(run(async () => (await load()).profileUse));
      subcommand(profile, 'secret', 'save the webhook secret replay and forward sign with; it comes from stdin or an environment variable', name)
        .option('--stdin', 'read the webhook secret from standard input')
        .option('--env <var>', 'read the webhook secret from this environment variable')
        .action(run(async () => (await load()).profileSecret));
    },
    provider: () => {
      const provider = program.command('provider').description('event APIs described in a data file (docs/providers-format.md), beside the built-in ones');
      const load = async () => import('./commands/provider.js');
      const file: [string, string] = ['<file>', 'the description (JSON)'];
      const name: [string, string] = ['<name>', 'the provider name'];
      subcommand(provider, 'add', 'check a provider description and save it beside the profiles', file).action(run(async () => (await load()).providerAdd));
      subcommand(provider, 'list', 'list the built-in and the described providers')
        .option('--names', 'only the names, one a line (for shell completion)')
        .action(run(async () => (await load()).providerList));
      subcommand(provider, 'show', 'show what a provider is and, for a described one, its description', name).action(run(async () => (await load()).providerShow));
      subcommand(provider, 'remove', 'delete a described provider (refused while a profile uses it)', name).action(run(async () => (await load()).providerRemove));
      subcommand(provider, 'check', 'check a description; with --live, fetch one page and say what was understood', file)
        .option('--live', 'fetch the first page of the list')
        .option('--api-key-env <var>', 'with --live: the environment variable holding the API key')
        .option('--base-url <url>', "with --live: ask this URL instead of the description's baseUrl (e.g. a local stand-in)")
        .action(run(async () => (await import('./commands/provider-check.js')).providerCheck));
    },
    demo: () => {
      program
        .command('demo')
        .description('start a local sample API (no account needed) and save a "demo" profile for it')
        .option('--port <n>', 'the port to listen on', '4010')
        .action(run(async () => (await import('./commands/demo.js')).demoCommand));
    },
    completion: () => {
      program
        .command('completion')
        .description('print the shell completion script')
        .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
        .action(
          run(async () => async (session: Session, shell: string) => {
            const { completionScript } = await import('./completion.js');
            session.io.stdout.write(completionScript(shell as 'bash' | 'zsh' | 'fish', program));
          }),
        );
    },
  };
}
