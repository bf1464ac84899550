// `events forward` on a terminal: tmux runs the binary in a pane, the test reads the screen and
// types keys. The view shows each delivery with its status and route, failures in red, the state
// in the header (handler failing, retrying in Ns), pauses with p, resends with r, quits with q.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cleanupAfterEach, waitFor } from '../support/cli.js';
import { putEvents, sampleEvents, seededMirror } from '../support/deliver.js';
import { startReceiver } from '../support/receiver.js';

const cleanups = cleanupAfterEach();

/** Runs `events ARGS` in a pane of a private tmux server (its own socket). */
function inTmux(dir: string, env: Record<string, string>, args: string[]) {
  const socket = `events-forward-${process.pid}`;
  const tmux = (...a: string[]) => execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
  const script = path.join(dir, 'run.sh');
  fs.writeFileSync(
    script,
    [
      ...Object.entries(env).map(([k, v]) => `export ${k}='${v}'`),
      'unset NO_COLOR EVENTS_PROFILE CI CONTINUOUS_INTEGRATION BUILD_NUMBER RUN_ID',
      'export TERM=xterm-256color',
      `'${process.execPath}' '${BIN}' ${args.join(' ')}`,
      'echo "EXIT=$?"',
      'sleep 60',
    ].join('\n'),
  );
  tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'fw', '-x', '140', '-y', '20', `sh '${script}'`);
  cleanups.push(() => {
    try {
      tmux('kill-server');
    } catch {
      // Already gone.
    }
  });
  const screen = () => tmux('capture-pane', '-p', '-t', 'fw');
  const until = (predicate: (s: string) => boolean, what: string) => waitFor(() => predicate(screen()), 15_000, `${what}; screen:\n${screen()}`);
  return { tmux, screen, until };
}

describe('events forward on a terminal (tmux)', () => {
  it('shows deliveries and the handler state, pauses, resends the selected event and quits with q', async () => {
    const { home, env } = await seededMirror('sqlite', 'bem', [], cleanups);
    let failing = true;
    const rx = await startReceiver(() => (failing ? { status: 500, body: 'down' } : { status: 200 }));
    cleanups.push(() => rx.close());
    const { tmux, screen, until } = inTmux(home.dir, env, ['--profile', 'p1', 'forward', '--offline', '--to', rx.url, '--secret-env', 'WEBHOOK_SECRET']);
    await until((s) => s.includes('live (following the mirror)'), 'the live header');
    expect(screen()).toContain('events forward p1 · bem · →');
    expect(screen()).toContain('waiting for new events');

    const [first, second] = sampleEvents('bem', 2, 50);
    await putEvents(home.db, 'bem', [first!]);
    await until((s) => /handler failing on \S+: 500: down \(retrying in \d+s\)/.test(s), 'the failing state');
    failing = false;
    await until((s) => s.includes('1 delivered'), 'the delivery after retries');
    const row = screen().split('\n').find((l) => l.includes(String(first!.eventID)))!;
    expect(row).toMatch(/200 +\d+ms ×\d +\S+ +\S+ +http:\/\/127\.0\.0\.1:\d+\//);

    tmux('send-keys', '-t', 'fw', 'p');
    await until((s) => s.includes('paused (p resumes)'), 'paused');
    await putEvents(home.db, 'bem', [second!]);
    const before = rx.requests.length;
    tmux('send-keys', '-t', 'fw', 'p');
    await until((s) => s.includes('2 delivered'), 'the second after resuming');
    expect(rx.requests.length).toBe(before + 1);

    // Select the first delivery and resend it.
    tmux('send-keys', '-t', 'fw', 'Up', 'Up', 'r');
    await until((s) => s.includes('3 delivered'), 'the resend');
    expect(JSON.parse(rx.requests[rx.requests.length - 1]!.body)).toEqual(first);

    tmux('send-keys', '-t', 'fw', 'q');
    await until((s) => s.includes('EXIT=0'), 'forward to end');
  }, 60_000);
});
