// The entry point, and the only file that touches `process`: argv, env, stdin, signals, the exit
// code. Everything else receives an Io.
import type { Io } from './io.js';
import { runCli } from './run.js';

export async function main(): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    // The first Ctrl-C stops walks between requests (committed pages stay); a second one is final.
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    controller.abort();
  });
  // A closed pipe (`events list | head -3`) is the reader saying "enough": end quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const io: Io = {
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: async () => {
      let text = '';
      for await (const chunk of process.stdin) text += chunk;
      return text;
    },
    stdinChunks: () => process.stdin,
    env: process.env,
    signal: controller.signal,
    stdinIsTTY: process.stdin.isTTY,
  };
  const code = await runCli(process.argv.slice(2), io);
  process.exitCode = code;
  // Wait for stdout to drain before leaving, then leave even if a timer or socket lingers.
  process.stdout.write('', () => process.exit(code));
}
