// The registration of the commands that set events up rather than read the mirror: profiles,
// described providers, the demo and shell completion (see commands-table.ts).
import { Argument, type Command } from 'commander';
import { PROVIDER_NAMES } from '../providers/names.js';
import type { Run, Session } from './session.js';

export function setupCommands(program: Command, run: Run): Record<string, () => void> {
  return {
    profile: () => {
      const profile = program.command('profile').description('manage saved profiles (provider accounts)');
      profile
        .command('add')
        .description('save a profile; the key comes from stdin or an environment variable')
        .argument('<name>', 'the profile name')
        .option('--provider <provider>', `the provider: ${PROVIDER_NAMES.join(', ')}, or a described one (events provider list)`)
        .option('--base-url <url>', "replace the provider's base URL (e.g. a local stand-in)")
        .option('--api-key-stdin', 'read the API key from standard input')
        .option('--api-key-env <var>', 'read the API key from this environment variable')
        .option('--webhook-secret-stdin', 'read the webhook secret replay and forward sign with from standard input')
        .option('--webhook-secret-env <var>', 'read the webhook secret replay and forward sign with from this environment variable')
        .action(run(async () => (await import('./commands/profile.js')).profileAdd));
      profile
        .command('list')
        .description('list saved profiles (* marks the default)')
        .action(run(async () => (await import('./commands/profile.js')).profileList));
      profile
        .command('show')
        .description('show a profile, its key and webhook secret masked')
        .argument('<name>', 'the profile name')
        .action(run(async () => (await import('./commands/profile.js')).profileShow));
      profile
        .command('remove')
        .description('delete a saved profile (its events stay in the mirror)')
        .argument('<name>', 'the profile name')
        .action(run(async () => (await import('./commands/profile.js')).profileRemove));
      profile
        .command('use')
        .description('make a profile the default')
        .argument('<name>', 'the profile name')
        .action(run(async () => (await import('./commands/profile.js')).profileUse));
      profile
        .command('secret')
        .description('save the webhook secret replay and forward sign with; it comes from stdin or an environment variable')
        .argument('<name>', 'the profile name')
        .option('--stdin', 'read the webhook secret from standard input')
        .option('--env <var>', 'read the webhook secret from this environment variable')
        .action(run(async () => (await import('./commands/profile.js')).profileSecret));
    },
    provider: () => {
      const provider = program.command('provider').description('event APIs described in a data file (docs/providers-format.md), beside the built-in ones');
      const load = async () => import('./commands/provider.js');
      provider
        .command('add')
        .description('check a provider description and save it beside the profiles')
        .argument('<file>', 'the description (JSON)')
        .action(run(async () => (await load()).providerAdd));
      provider
        .command('list')
        .description('list the built-in and the described providers')
        .option('--names', 'only the names, one a line (for shell completion)')
        .action(run(async () => (await load()).providerList));
      provider
        .command('show')
        .description('show what a provider is and, for a described one, its description')
        .argument('<name>', 'the provider name')
        .action(run(async () => (await load()).providerShow));
      provider
        .command('remove')
        .description('delete a described provider (refused while a profile uses it)')
        .argument('<name>', 'the provider name')
        .action(run(async () => (await load()).providerRemove));
      provider
        .command('check')
        .description('check a description; with --live, fetch one page and say what was understood')
        .argument('<file>', 'the description (JSON)')
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
