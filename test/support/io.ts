// An in-process Io: captured stdout/stderr, a given environment and stdin, a terminal or a pipe.
import type { Io } from '../../src/io.js';
import { runCli } from '../../src/cli/run.js';

export interface CapturedIo {
  io: Io;
  stdout: () => string;
  stderr: () => string;
  abort: () => void;
}

export function captureIo(options: { env?: Record<string, string | undefined>; stdin?: string; tty?: boolean; columns?: number } = {}): CapturedIo {
  let out = '';
  let err = '';
  const controller = new AbortController();
  const io: Io = {
    stdout: { write: (s: string) => (out += s), isTTY: options.tty ?? false, columns: options.columns ?? 100 },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    readStdin: async () => options.stdin ?? '',
    env: options.env ?? {},
    signal: controller.signal,
  };
  return { io, stdout: () => out, stderr: () => err, abort: () => controller.abort() };
}

/** Runs a command line in-process; returns its exit code and output. */
export async function runInProcess(
  argv: string[],
  options: Parameters<typeof captureIo>[0] = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const c = captureIo(options);
  const code = await runCli(argv, c.io);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}
