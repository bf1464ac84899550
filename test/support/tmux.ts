// Running the real binary in a person's terminal: a pane of a private tmux server (its own socket,
// never the user's sessions), its screen read with capture-pane. Used by the Ink views' tests.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, waitFor } from './cli.js';

/** tmux's version line, or undefined when it is not installed (the tests then fail saying so). */
export function tmuxVersion(): string | undefined {
  try {
    return execFileSync('tmux', ['-V'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

let sessions = 0;

export interface TmuxPane {
  tmux: (...args: string[]) => string;
  screen: () => string;
  until: (predicate: (screen: string) => boolean, what: string) => Promise<void>;
  modes: () => { alternateScreen: boolean; cursorShown: boolean };
}

/** Starts `events ARGS` in a `width`×20 pane; `cleanups` gets the server's end. */
export function inTmux(
  dir: string,
  env: Record<string, string>,
  args: string[],
  cleanups: Array<() => unknown>,
  options: { width?: number; timeoutMs?: number } = {},
): TmuxPane {
  const socket = `events-test-${process.pid}-${sessions++}`;
  const tmux = (...a: string[]) => execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
  const script = path.join(dir, `run-${sessions}.sh`);
  fs.writeFileSync(
    script,
    [
      ...Object.entries(env).map(([k, v]) => `export ${k}='${v}'`),
      // A person's terminal: CI=true (as CI runs the suite) makes Ink draw only its last frame.
      'unset NO_COLOR EVENTS_PROFILE CI CONTINUOUS_INTEGRATION BUILD_NUMBER RUN_ID',
      'export TERM=xterm-256color',
      `'${process.execPath}' '${BIN}' ${args.join(' ')}`,
      'echo "EXIT=$?"',
      // The terminal as the command left it: `icanon echo` is cooked, `-icanon -echo` still raw.
      `echo "TTY=$(stty -a | tr ' ' '\\n' | grep -x -e '-\\?icanon' -e '-\\?echo' | paste -sd ' ')"`,
      'sleep 60',
    ].join('\n'),
  );
  tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'events', '-x', String(options.width ?? 100), '-y', '20', `sh '${script}'`);
  cleanups.push(() => {
    try {
      tmux('kill-server');
    } catch {
      // Already gone.
    }
  });
  const screen = () => tmux('capture-pane', '-p', '-t', 'events');
  /** The pane's alternate-screen and cursor-visible flags, as tmux tracks them. */
  const modes = () => {
    const [alternate, cursor] = tmux('display-message', '-p', '-t', 'events', '#{alternate_on} #{cursor_flag}').trim().split(' ');
    return { alternateScreen: alternate === '1', cursorShown: cursor === '1' };
  };
  const until = (predicate: (s: string) => boolean, what: string) =>
    waitFor(() => predicate(screen()), options.timeoutMs ?? 30_000, `${what}; screen:\n${screen()}`);
  return { tmux, screen, until, modes };
}
