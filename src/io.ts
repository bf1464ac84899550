// What a command may touch of the outside world. main.ts builds it from `process`; tests build
// it from strings, so every command runs in-process with captured output.
import { sanitize } from './output/sanitize.js';

/** A text stream: stdout or stderr. */
export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
}

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  /** Standard input as text, read on demand (`--api-key-stdin`). */
  readStdin(): Promise<string>;
  /** Standard input as a stream of chunks (`import`: constant memory); absent, readStdin is used. */
  stdinChunks?: (() => AsyncIterable<string | Buffer>) | undefined;
  env: Record<string, string | undefined>;
  /** Aborted on Ctrl-C: walks and waits stop, committed work stays. */
  signal: AbortSignal;
  /** True when stdin is a terminal (tail's keys). */
  stdinIsTTY?: boolean | undefined;
}

/** Whether colour may be used on `stream` (a terminal, and NO_COLOR not set). */
export function colorEnabled(io: Io, stream: OutStream = io.stdout): boolean {
  const noColor = io.env.NO_COLOR;
  return Boolean(stream.isTTY) && (noColor === undefined || noColor === '') && io.env.TERM !== 'dumb';
}

/** Writes one line to stderr: notes, warnings and errors never go to stdout. Sanitised: it may quote a provider. */
export function note(io: Io, line: string): void {
  io.stderr.write(`${sanitize(line)}\n`);
}

/**
 * Writes `text` and, when the stream says its buffer is full, waits until it drains: a million
 * lines into a slow pipe then take constant memory instead of piling up in the stream.
 */
export async function writeDrained(stream: OutStream, text: string): Promise<void> {
  const ok = stream.write(text);
  const s = stream as OutStream & { once?: (event: string, cb: () => void) => unknown };
  if (ok === false && typeof s.once === 'function') await new Promise<void>((resolve) => s.once!('drain', resolve));
}
