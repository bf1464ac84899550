// Runs one command line and returns its exit code. This is the one place that maps errors to a
// line on stderr and an exit code (docs/cli.md, "Exit codes"); tests call it in-process.
import { CommanderError } from 'commander';
import { EventsError, ExitCode, InterruptedError, MirrorError, exitCodeOf } from '../errors.js';
import { sanitize } from '../output/sanitize.js';
import type { Io } from '../io.js';
import { buildProgram } from './program.js';

export async function runCli(argv: string[], io: Io): Promise<number> {
  const program = buildProgram(io, argv);
  try {
    if (argv.length === 0) {
      io.stdout.write(program.helpInformation());
      return ExitCode.ok;
    }
    await program.parseAsync(argv, { from: 'user' });
    return io.signal.aborted ? ExitCode.interrupted : ExitCode.ok;
  } catch (err) {
    return report(io, err, argv.includes('-v') || argv.includes('--verbose'));
  }
}

/** Every message below may quote an event or a provider's error body: each is sanitised as it is written. */
function report(io: Io, err: unknown, verbose: boolean): number {
  if (err instanceof CommanderError) {
    // Commander has already printed its message; help and --version are successes.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.ok;
    return ExitCode.usage;
  }
  if (err instanceof InterruptedError || io.signal.aborted) {
    io.stderr.write('interrupted; what was fetched is kept\n');
    return ExitCode.interrupted;
  }
  if (err instanceof EventsError) {
    io.stderr.write(`error: ${sanitize(err.message)}\n`);
    // A mirror's cause comes from a database driver, whose text may hold what the message was
    // scrubbed of (a URL with its password): only the scrubbed line is shown.
    if (verbose && !(err instanceof MirrorError) && err.cause instanceof Error && err.cause.stack) io.stderr.write(`${sanitize(err.cause.stack)}\n`);
    return exitCodeOf(err);
  }
  // Anything else is a bug: say so in one line, with the stack only when asked.
  const e = err instanceof Error ? err : new Error(String(err));
  io.stderr.write(`error: ${sanitize(e.message)} (this is a bug in events; run with --verbose for details)\n`);
  if (verbose && e.stack) io.stderr.write(`${sanitize(e.stack)}\n`);
  return ExitCode.error;
}
