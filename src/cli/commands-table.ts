// The registration of each top-level command, in the order help lists them. program.ts builds
// only the one a command line names (building them all is 2 ms of every start); each action
// imports its command module only when it runs.
import { Option, type Command } from 'commander';
import { collect, parseType, parseWhere } from '../parse.js';
import type { Run } from './session.js';
import { addFilterOptions, searchOption } from './filters.js';
import { setupCommands } from './setup-commands.js';
import { subcommand } from './subcommands.js';

/** name → adds that command (and its subcommands) to `program`. */
export function commandTable(program: Command, run: Run): Record<string, () => void> {
  const typeOption = () => new Option('-t, --type <type>', 'only events of this type; prefix.* matches a family; repeatable').argParser(collect(parseType));
  const whereOption = () => new Option('-w, --where <path=value>', 'only events whose raw JSON has this value at this dotted path; repeatable').argParser(collect(parseWhere));

  // Delivery (docs/cli.md, "Delivery"): replay, forward and their durable consumers.
  const deliveryOptions = (cmd: Command) =>
    cmd
      .option('--to <[types=]url>', 'POST each event to URL; TYPES=URL (types comma-separated, prefix.* allowed) routes only those; the first match wins; repeatable', (v: string, p: string[] | undefined) => [...(p ?? []), v])
      .option('--exec <cmd>', 'run CMD through the shell per event instead, the body on stdin and EVENTS_ID/TYPE/PROFILE/PROVIDER set')
      .option('--secret-env <var>', "sign with the webhook secret held in this environment variable (else the profile's webhookSecret)")
      .option('--secret-stdin', 'read the webhook secret from standard input')
      .option('--subscription-id <id>', 'close: the whsub_ id the body carries (handlers pick their key by it)')
      .option('--concurrency <n>', 'deliveries in flight at once (default 1: a handler sees the order)');

  return {
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
      const load = async () => import('./commands/consumers.js');
      const name: [string, string] = ['<name>', 'the consumer'];
      const consumers = program
        .command('consumers')
        .description('the durable consumers (--consumer): profile, position, how far behind, last delivery, failures')
        .action(run(async () => (await load()).consumersList));
      subcommand(consumers, 'list', 'list the consumers (the default)').action(run(async () => (await load()).consumersList));
      subcommand(consumers, 'reset', 'move a consumer back (or on) to the changes the mirror took in since TIME', name)
        .requiredOption('-s, --since <time>', 'ISO 8601 or 90s/15m/2h/7d')
        .action(run(async () => (await load()).consumersReset));
      subcommand(consumers, 'remove', 'delete a consumer and its positions', name).action(run(async () => (await load()).consumersRemove));
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
    ...setupCommands(program, run),
  };
}
