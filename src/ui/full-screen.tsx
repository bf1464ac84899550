// A view on the alternate screen, so quitting gives the shell back as it was: tail's and forward's
// views both go through here. Only those commands on a terminal import it, and with it Ink.
import type { ReactElement } from 'react';
import { render } from 'ink';
import type { OutStream } from '../io.js';

export interface ShownView {
  /** Resolves when the user leaves: `q` (quit) or Ctrl-C (interrupt); rejects if the view failed. */
  done: Promise<'quit' | 'interrupt'>;
  /** Takes the view down (idempotent) and restores the screen. */
  close(): Promise<void>;
}

/** Renders the element `view(onExit)` makes on the alternate screen of `out`. */
export function showFullScreen(out: OutStream, view: (onExit: (how: 'quit' | 'interrupt') => void) => ReactElement): ShownView {
  const stdout = out as NodeJS.WriteStream;
  let leave!: (how: 'quit' | 'interrupt') => void;
  let fail!: (err: unknown) => void;
  const done = new Promise<'quit' | 'interrupt'>((resolve, reject) => ((leave = resolve), (fail = reject)));
  done.catch(() => undefined);
  stdout.write('\x1b[?1049h\x1b[H');
  let closed = false;
  let app: ReturnType<typeof render>;
  try {
    // Ctrl-C is a key here (raw mode), handled by the view as an interruption.
    app = render(view((how) => leave(how)), { stdout, exitOnCtrlC: false, patchConsole: false });
  } catch (err) {
    stdout.write('\x1b[?1049l');
    throw err;
  }
  // Ink takes the view down by itself when a component throws: that ends it as an error, which
  // the command reports once it has closed the view.
  app.waitUntilExit().then(
    () => !closed && fail(new Error('the view ended by itself')),
    (err: unknown) => fail(err),
  );
  return {
    done,
    async close() {
      if (closed) return;
      closed = true;
      app.unmount();
      await app.waitUntilExit().catch(() => undefined);
      stdout.write('\x1b[?1049l');
    },
  };
}
