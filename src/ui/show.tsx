// Puts tail's view on the terminal (the alternate screen, so quitting gives the shell back as it
// was) and says how it ended. Only tail on a terminal imports this file, and with it Ink and React.
import { render } from 'ink';
import type { OutStream } from '../cli/io.js';
import type { TailSource } from '../tail/types.js';
import type { TailInfo } from './Header.js';
import { TailView } from './TailView.js';

export interface ShownView {
  /** Resolves when the user leaves: `q` (quit) or Ctrl-C (interrupt). */
  done: Promise<'quit' | 'interrupt'>;
  /** Takes the view down (idempotent) and restores the screen. */
  close(): Promise<void>;
}

export function showTail(options: { source: TailSource; info: TailInfo; color: boolean; keys: boolean; stdout: OutStream }): ShownView {
  const stdout = options.stdout as NodeJS.WriteStream;
  let leave!: (how: 'quit' | 'interrupt') => void;
  const done = new Promise<'quit' | 'interrupt'>((resolve) => (leave = resolve));
  stdout.write('\x1b[?1049h\x1b[H');
  const app = render(
    <TailView source={options.source} info={options.info} color={options.color} keys={options.keys} onExit={(how) => leave(how)} />,
    // Ctrl-C is a key here (raw mode), handled by the view as an interruption.
    { stdout, exitOnCtrlC: false, patchConsole: false },
  );
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
