// A view on the alternate screen, so quitting gives the shell back as it was: tail's and forward's
// views both go through here. Only those commands on a terminal import it, and with it Ink.
import type { ReactElement } from 'react';
import { render } from 'ink';
import type { OutStream } from '../cli/io.js';

export interface ShownView {
  /** Resolves when the user leaves: `q` (quit) or Ctrl-C (interrupt). */
  done: Promise<'quit' | 'interrupt'>;
  /** Takes the view down (idempotent) and restores the screen. */
  close(): Promise<void>;
}

/** Renders the element `view(onExit)` makes on the alternate screen of `out`. */
export function showFullScreen(out: OutStream, view: (onExit: (how: 'quit' | 'interrupt') => void) => ReactElement): ShownView {
  const stdout = out as NodeJS.WriteStream;
  let leave!: (how: 'quit' | 'interrupt') => void;
  const done = new Promise<'quit' | 'interrupt'>((resolve) => (leave = resolve));
  stdout.write('\x1b[?1049h\x1b[H');
  // Ctrl-C is a key here (raw mode), handled by the view as an interruption.
  const app = render(view((how) => leave(how)), { stdout, exitOnCtrlC: false, patchConsole: false });
  let closed = false;
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
