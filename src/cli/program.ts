// The program: its global options, help and errors, and the one command a line names (the
// registrations are in commands-table.ts). Actions import their command module only when they
// run, so `events --help` loads commander and nothing else.
import { Command, Option } from 'commander';
import { FORMATS } from '../output/write.js';
import { sanitize } from '../output/sanitize.js';
import { VERSION } from '../version.js';
import type { Io, OutStream } from '../io.js';
import { Session, type Action, type GlobalOptions } from './session.js';
import { commandTable } from './commands-table.js';

/**
 * Help is wrapped at 80 columns, or at a narrower terminal's width. Being the same text in every
 * pipe and every terminal at least this wide is what lets bin/events.js print `events --help`
 * from the copy the build saved (dist/help.txt) without loading the CLI at all.
 */
export const HELP_COLUMNS = 80;
const helpWidth = (out: OutStream) => Math.min(out.isTTY && out.columns ? out.columns : HELP_COLUMNS, HELP_COLUMNS);

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

  program
    .description('A command-line client and local mirror for event APIs: BlueAI, bem, Close and Seam built in, any other described in a file.')
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

  const commands = commandTable(program, run);
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
