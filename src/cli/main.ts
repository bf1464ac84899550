// The entry point, and the only file that touches `process`: argv, env, stdin, signals, the exit
// code. Everything else receives an Io.
import fs from 'node:fs';
import { fdStream } from './fd-stream.js';
import type { Io, OutStream } from '../io.js';
import { runCli } from './run.js';

/** A closed pipe on stdout (`events list | head -3`) is the reader saying "enough": end quietly. */
const readerGone = (): never => process.exit(0);
const onStreamError = (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') readerGone();
  throw err;
};

/**
 * fd 1 or 2 as the commands' stream: straight to the descriptor for a pipe, a socket (what a
 * parent process's spawn gives), a file or /dev/null (fd-stream.ts); a terminal keeps Node's stream.
 */
function output(fd: 1 | 2): OutStream & { flushed?: () => Promise<void> } {
  const stream = () => (fd === 1 ? process.stdout.on('error', onStreamError) : process.stderr);
  let kind: fs.Stats | undefined;
  try {
    kind = fs.fstatSync(fd);
  } catch {
    // closed: let Node's stream deal with it
  }
  if (!kind?.isFIFO() && !kind?.isSocket() && !kind?.isFile() && !isDevNull(kind)) return stream();
  // A reader of stderr that has gone takes nothing with it: the command carries on.
  return fdStream(fd, fd === 1 ? readerGone : () => undefined, stream);
}

/** `> /dev/null` (a script that wants only the exit code): no stream to set up for it either. */
function isDevNull(kind: fs.Stats | undefined): boolean {
  try {
    return kind !== undefined && kind.isCharacterDevice() && kind.rdev === fs.statSync('/dev/null').rdev;
  } catch {
    return false; // no /dev/null here (Windows)
  }
}

export async function main(): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    // The first Ctrl-C stops walks between requests (committed pages stay); a second one is final.
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    controller.abort();
  });
  const stdout = output(1);
  const stderr = output(2);
  const io: Io = {
    stdout,
    stderr,
    readStdin: async () => {
      let text = '';
      for await (const chunk of process.stdin) text += chunk;
      return text;
    },
    stdinChunks: () => process.stdin,
    env: process.env,
    signal: controller.signal,
    // A getter: touching process.stdin sets up a stream (5 ms of start-up) that most commands never read.
    get stdinIsTTY() {
      return process.stdin.isTTY;
    },
  };
  const code = await runCli(process.argv.slice(2), io);
  process.exitCode = code;
  // Wait for stdout (and a stderr that fell back to its stream) to drain before leaving, then
  // leave even if a timer or socket lingers.
  await stderr.flushed?.();
  if (stdout.flushed) await stdout.flushed();
  else await new Promise((resolve) => process.stdout.write('', resolve));
  process.exit(code);
}
