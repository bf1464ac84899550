// Puts forward's view on the terminal (the alternate screen), as tail's show.tsx does. Only
// forward on a terminal imports this file, and with it Ink and React.
import { render } from 'ink';
import type { OutStream } from '../../cli/io.js';
import { ForwardView, type ForwardViewProps } from './ForwardView.js';

export function showForward(options: Omit<ForwardViewProps, 'onExit'> & { stdout: OutStream }) {
  const stdout = options.stdout as NodeJS.WriteStream;
  let leave!: (how: 'quit' | 'interrupt') => void;
  const done = new Promise<'quit' | 'interrupt'>((resolve) => (leave = resolve));
  stdout.write('\x1b[?1049h\x1b[H');
  const { stdout: _out, ...props } = options;
  const app = render(<ForwardView {...props} onExit={(how) => leave(how)} />, { stdout, exitOnCtrlC: false, patchConsole: false });
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
