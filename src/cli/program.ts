// Every command and flag, registered in one readable place. Actions import their command module
// only when they run, so `events --help` loads commander and nothing else.
import { Argument, Command, Option } from 'commander';
import { PROVIDER_NAMES } from '../providers/names.js';
import { FORMATS } from '../output/write.js';
import { sanitize } from '../output/sanitize.js';
import { VERSION } from '../version.js';
import type { Io, OutStream } from '../io.js';
import { collect, parseType, parseWhere } from '../parse.js';
import { Session, type GlobalOptions } from './session.js';
import { addFilterOptions, searchOption } from './filters.js';

/**
 * Help is wrapped at 80 columns, or at a narrower terminal's width. Being the same text in every
 * pipe and every terminal at least this wide is what lets bin/events.js print `events --help`
 * from the copy the build saved (dist/help.txt) without loading the CLI at all.
 */
export const HELP_COLUMNS = 80;
const helpWidth = (out: OutStream) => Math.min(out.isTTY && out.columns ? out.columns : HELP_COLUMNS, HELP_COLUMNS);

type Action<A extends unknown[]> = (session: Session, ...args: A) => Promise<void>;

/**
 * Builds the command tree. `io` is where help and errors are written. Given the command line, it
 * builds only the command that line runs, when it plainly names one (see invokedCommand).
 */
export function buildProgram(io: Io, argv: readonly string[] = []): Command {
  const program = new Command('events');
  // Wraps a command: a Session from the global options, closed whatever happens.
  const run =
    <A extends unknown[]>(action: () => Promise<Action<A>>) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const session = new Session(io, cmd.optsWithGlobals<GlobalOptions>());
      try {
        await (await action())(session, ...(args.slice(0, -1) as A));
      } finally {
        await session.close();
      }
    };
  const typeOption = () => new Option('-t, --type <type>', 'only events of this type; prefix.* matches a family; repeatable').argParser(collect(parseType));
  const whereOption = () => new Option('-w, --where <path=value>', 'only events whose raw JSON has this value at this dotted path; repeatable').argParser(collect(parseWhere));

  program
    .description('A command-line client and local mirror for the event APIs of BlueAI, bem, Close and Seam.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('-p, --profile <name>', 'the saved profile to use (default: $EVENTS_PROFILE, the EVENTS_PROVIDER variables, then the default profile)')
    .option('--db <path|url>', 'the mirror: a file, or a postgres:// URL for a shared one (default: $EVENTS_DB, else a file in your data dir)')
    .addOption(new Option('-o, --output <format>', 'output format (default: table on a terminal, ndjson in a pipe)').choices(FORMATS))
    .option('--json', 'the same as -o json')
    .option('-v, --verbose', 'log each request on stderr (keys redacted) and show stack traces')
    .option('--timeout <duration>', 'give up on a request after this long (default 30s)')
    .option('--retries <n>', 'retries for 429, 5xx, resets and timeouts (default 4)')
    // Settings subcommands inherit: set before they are added. Errors become exceptions that
    // run.ts maps to exit 2, and stay on one line.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`${sanitize(s.trimEnd())} (see \`events --help\`)\n`),
      getOutHelpWidth: () => helpWidth(io.stdout),
      getErrHelpWidth: () => helpWidth(io.stderr),
    });

  // Delivery (docs/cli.md, "Delivery"): replay, forward and their durable consumers.
  const deliveryOptions = (cmd: Command) =>
    cmd
      .option('--to <[types=]url>', 'POST each event to URL; TYPES=URL (types comma-separated, prefix.* allowed) routes only those; the first match wins; repeatable', (v: string, p: string[] | undefined) => [...(p ?? []), v])
      .option('--exec <cmd>', 'run CMD through the shell per event instead, the body on stdin and EVENTS_ID/TYPE/PROFILE/PROVIDER set')
      .option('--secret-env <var>', "sign with the webhook secret held in this environment variable (else the profile's webhookSecret)")
      .option('--secret-stdin', 'read the webhook secret from standard input')
      .option('--subscription-id <id>', 'close: the whsub_ id the body carries (handlers pick their key by it)')
      .option('--concurrency <n>', 'deliveries in flight at once (default 1: a handler sees the order)');

  // One registration per top-level command, in the order help lists them. A command line that
  // names one (`events list …`) builds only that one: building them all is 2 ms of every start.
  const commands: Record<string, () => void> = {
    sync: () => {
      program
        .command('sync')
        .description('bring the mirror of the selected profile up to date')
        .option('--full', 'walk the whole history again')
        .option('--overlap <duration>', 'how far below the newest event to rescan for late and consolidated events', '5m')
        .option('--since <time>', 'make sure the mirror reaches back at least to TIME (ISO 8601 or 90s/15m/2h/7d)')
        .action(run(async () => (await import('./commands/sync.js')).syncCommand));
    },
    list: () => {
      program
        .command('list')
        .description('list events from the mirror (synced first unless --offline), newest first')
        .option('-n, --limit <n>', 'at most N events (default 50)')
        .option('-a, --all', 'every matching event')
        .option('--offline', 'answer from the mirror without syncing')
        .option('--remote', 'ask the provider directly, without the mirror')
        .option('--envelope', 'json/ndjson: wrap each event as {"profile","provider","event"}')
        .action(run(async () => (await import('./commands/list.js')).listCommand));
      addFilterOptions(program.commands.find((c) => c.name() === 'list')!);
    },
    // The mirror's own views: history, stats, export and import.
    history: () => {
      program
        .command('history')
        .description('every version of one event the mirror kept, oldest first, with what changed by JSON path')
        .argument('<id>', 'the event id')
        .action(run(async () => (await import('./commands/history.js')).historyCommand));
    },
    stats: () => {
      addFilterOptions(
        program
          .command('stats')
          .description('counts per group over the mirror, with the first and last time of each; bars on a terminal')
          .option('-b, --by <key>', 'group by type, profile, object, day or hour; one or two (repeat, or type,day); default type', (v: string, p: string[] | undefined) => [...(p ?? []), v])
          .option('--top <n>', 'only the N largest groups (a histogram: the N latest buckets)'),
      ).action(run(async () => (await import('./commands/stats.js')).statsCommand));
    },
    export: () => {
      addFilterOptions(
        program.command('export').description('NDJSON envelopes {"profile","provider","event"} of the matching events, newest first, streamed'),
      ).action(run(async () => (await import('./commands/export.js')).exportCommand));
    },
    import: () => {
      program
        .command('import')
        .description('upsert NDJSON envelopes (or raw events with --profile) from FILE or stdin into the mirror; newer wins')
        .argument('[file]', 'the NDJSON file (default: stdin)')
        .action(run(async () => (await import('./commands/import.js')).importCommand));
    },
    get: () => {
      program
        .command('get')
        .description('show one event, from the mirror or else from the provider')
        .argument('<id>', 'the event id')
        .option('--offline', 'look only in the mirror')
        .action(run(async () => (await import('./commands/get.js')).getCommand));
    },
    tail: () => {
      program
        .command('tail')
        .description('follow new events until Ctrl-C: a live view on a terminal, one JSON event per line in a pipe')
        .addOption(typeOption())
        .addOption(whereOption())
        .addOption(searchOption())
        .option('--all-profiles', 'follow every profile in the mirror and the config in one view (or --profile a,b)')
        .option('--interval <duration>', 'how often to poll (never faster than the rate limits allow)', '5s')
        .option('-s, --since <time>', 'first show the events since TIME (ISO 8601 or 90s/15m/2h/7d), then follow')
        .option('--overlap <duration>', 'how far below the newest event each poll rescans for late events', '5m')
        .option('--offline', 'never call the provider: follow what other processes sync into the mirror')
        .option('--consumer <name>', 'a durable position: resume after the last event written, with no gap across restarts')
        .action(run(async () => (await import('./commands/tail.js')).tailCommand));
    },
    // Delivery (docs/cli.md, "Delivery"): replay, forward and their durable consumers.
    replay: () => {
      deliveryOptions(
        addFilterOptions(
          program
            .command('replay')
            .description('send matching events from the mirror, oldest first, to local webhook handlers as their provider would; retried (--retries, default 3)'),
        ),
      )
        .option('--dry-run', 'print what would be sent (signatures masked), send nothing')
        .action(run(async () => (await import('./commands/replay.js')).replayCommand));
    },
    forward: () => {
      deliveryOptions(
        addFilterOptions(
          program
            .command('forward')
            .description('the live form of replay: follow new and changed events as tail does and deliver each one'),
        ),
      )
        .option('--interval <duration>', 'how often to sync (never faster than the rate limits allow)', '5s')
        .option('--overlap <duration>', 'how far below the newest event each sync rescans for late events', '5m')
        .option('--offline', 'never call the provider: deliver what other processes sync into the mirror')
        .option('--consumer <name>', 'a durable position: at-least-once across restarts, resuming after the last acknowledged event')
        .option('--skip-failed', 'with --consumer: after the retries, record a failed delivery and go on (else it is retried until it succeeds)')
        .action(run(async () => (await import('./commands/forward.js')).forwardCommand));
    },
    consumers: () => {
      const consumers = program
        .command('consumers')
        .description('the durable consumers (--consumer): profile, position, how far behind, last delivery, failures')
        .action(run(async () => (await import('./commands/consumers.js')).consumersList));
      consumers
        .command('list')
        .description('list the consumers (the default)')
        .action(run(async () => (await import('./commands/consumers.js')).consumersList));
      consumers
        .command('reset')
        .description('move a consumer back (or on) to the changes the mirror took in since TIME')
        .argument('<name>', 'the consumer')
        .requiredOption('-s, --since <time>', 'ISO 8601 or 90s/15m/2h/7d')
        .action(run(async () => (await import('./commands/consumers.js')).consumersReset));
      consumers
        .command('remove')
        .description('delete a consumer and its positions')
        .argument('<name>', 'the consumer')
        .action(run(async () => (await import('./commands/consumers.js')).consumersRemove));
    },
    copy: () => {
      program
        .command('copy')
        .description('copy the whole mirror (events, versions, coverage, walks, consumers) into another, a file or a postgres:// URL')
        .requiredOption('--to <db>', 'the target mirror: a file path or a postgres:// URL')
        .action(run(async () => (await import('./commands/copy.js')).copyCommand));
    },
    prune: () => {
      program
        .command('prune')
        .description('delete old events (and their older versions) from the mirror; the range stays held, so no sync fetches it again')
        .option('--before <time>', 'delete the events before TIME (ISO 8601 or 90s/15m/2h/7d ago)')
        .option('--keep <duration>', 'keep this much recent history (e.g. 90d), delete the rest')
        .option('--all-profiles', 'prune every profile in the mirror')
        .action(run(async () => (await import('./commands/prune.js')).pruneCommand));
    },
    status: () => {
      program
        .command('status')
        .description('how fresh and complete the mirror is, per profile')
        .action(run(async () => (await import('./commands/status.js')).statusCommand));
    },
    mcp: () => {
      program
        .command('mcp')
        .description('serve the mirror to AI agents as tools over the Model Context Protocol on stdio (read-only, offline)')
        .option('--allow-network', 'let get_event fetch what the mirror lacks, and offer sync_profile')
        .action(run(async () => (await import('../mcp/command.js')).mcpCommand));
    },
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
  // completion describes every command, so it always has them all.
  const only = invokedCommand(program, argv, Object.keys(commands).filter((name) => name !== 'completion'));
  for (const [name, add] of Object.entries(commands)) if (only === undefined || name === only) add();

  return program;
}

/**
 * The top-level command `argv` runs, when it says so plainly: its first word that is neither a
 * global option nor such an option's value, if that word is one of `names`. Anything else (help,
 * a misspelt command, a flag the root does not know, `-ojson`) gives undefined: the whole tree is
 * built, and commander answers as it always has. The global options are read off `program`.
 */
function invokedCommand(program: Command, argv: readonly string[], names: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) return names.includes(arg) ? arg : undefined;
    const flag = arg.split('=', 1)[0];
    const option = program.options.find((o) => o.short === flag || o.long === flag);
    if (option === undefined || option.long === '--version') return undefined;
    if ((option.required || option.optional) && !arg.includes('=')) i += 1;
  }
  return undefined;
}
