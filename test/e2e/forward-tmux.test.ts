// `events forward` on a terminal: tmux runs the binary in a pane, the test reads the screen and
// types keys. The view shows each delivery with its status and route, failures in red, the state
// in the header (handler failing, retrying in Ns), pauses with p, resends with r, quits with q.
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../support/cli.js';
import { inTmux } from '../support/tmux.js';
import { putEvents, sampleEvents, seededMirror } from '../support/deliver.js';
import { startReceiver } from '../support/receiver.js';

const cleanups = cleanupAfterEach();

describe('events forward on a terminal (tmux)', () => {
  it('shows deliveries and the handler state, pauses, resends the selected event and quits with q', async () => {
    const { home, env } = await seededMirror('sqlite', 'bem', [], cleanups);
    let failing = true;
    const rx = await startReceiver(() => (failing ? { status: 500, body: 'down' } : { status: 200 }));
    cleanups.push(() => rx.close());
    const { tmux, screen, until } = inTmux(home.dir, env, ['--profile', 'p1', 'forward', '--offline', '--to', rx.url, '--secret-env', 'WEBHOOK_SECRET'], cleanups, { width: 140, timeoutMs: 15000 });
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

    tmux('send-keys', '-t', 'events', 'p');
    await until((s) => s.includes('paused (p resumes)'), 'paused');
    await putEvents(home.db, 'bem', [second!]);
    const before = rx.requests.length;
    tmux('send-keys', '-t', 'events', 'p');
    await until((s) => s.includes('2 delivered'), 'the second after resuming');
    expect(rx.requests.length).toBe(before + 1);

    // Select the first delivery and resend it.
    tmux('send-keys', '-t', 'events', 'Up', 'Up', 'r');
    await until((s) => s.includes('3 delivered'), 'the resend');
    expect(JSON.parse(rx.requests[rx.requests.length - 1]!.body)).toEqual(first);
    // Types of different lengths ('route', 'split_collection'): the ids after them line up.
    const column = (event: typeof first) => {
      const id = String((event as { eventID: string }).eventID);
      return screen().split('\n').find((l) => l.includes(id))!.indexOf(id);
    };
    expect(column(first)).toBe(column(second));

    tmux('send-keys', '-t', 'events', 'q');
    await until((s) => s.includes('EXIT=0'), 'forward to end');
  }, 60_000);
});
