// Every failure the CLI reports is one of these classes: each carries its exit code (docs/cli.md)
// and a sentence that says what failed, where, and what to do. src/cli/run.ts is the one place
// that turns them into a line on stderr and an exit code.

export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  notFound: 3,
  auth: 4,
  syncIncomplete: 5,
  interrupted: 130,
} as const;

/** Base of every expected failure: a message for people and an exit code for scripts. */
export class EventsError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = ExitCode.error, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad flags, values or environment: exit 2. */
export class UsageError extends EventsError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/** `get` found no such event: exit 3. */
export class NotFoundError extends EventsError {
  constructor(message: string) {
    super(message, ExitCode.notFound);
  }
}

/** The provider refused the credentials (401/403): exit 4. */
export class AuthError extends EventsError {
  constructor(message: string) {
    super(message, ExitCode.auth);
  }
}

/**
 * A request that kept failing after every retry (429, 5xx, resets, timeouts, broken bodies).
 * A sync that meets it stops with exit 5 and keeps what it committed.
 */
export class RetriesExhaustedError extends EventsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.syncIncomplete, options);
  }
}

/** The provider answered with an error that retrying will not fix (400, 404 on a list, 422…). */
export class ProviderError extends EventsError {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message, ExitCode.error);
    this.status = status;
  }
}

/** The same request was about to be sent twice in one walk: a provider bug, never a loop. */
export class PagingLoopError extends EventsError {}

/** The mirror file cannot be opened or is not an `events` database. */
export class MirrorError extends EventsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.error, options);
  }
}

/** Ctrl-C (SIGINT): exit 130; whatever a sync committed stays. */
export class InterruptedError extends EventsError {
  constructor() {
    super('interrupted', ExitCode.interrupted);
  }
}

/** Returns the exit code an error stands for (1 for unexpected errors). */
export function exitCodeOf(err: unknown): number {
  return err instanceof EventsError ? err.exitCode : ExitCode.error;
}
