// Hostile event content in a real terminal (tmux; see tail-tmux.test.ts): `events tail` showing an
// event whose type sets the terminal's title and clears the screen leaves the pane's title as it
// was, shows the escaped text and keeps the rest of the screen, in its lines and in the raw JSON;
// `list` in a 60-column pane keeps every id whole. A control case first proves this tmux does obey
// a raw title sequence, so the checks can fail.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { runEvents, tempHome, waitFor } from '../support/cli.js';
import { blueaiEvent, blueaiHistory, startFakeBlueai, type BlueaiEvent } from '../support/fake-blueai.js';
import { C1_CLEAR, HOSTILE_TYPE, HOSTILE_TYPE_2, HOSTILE_VALUE, RLO } from '../support/hostile-text.js';
import { inTmux, tmuxVersion } from '../support/tmux.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const titleOf = (tmux: (...a: string[]) => string) => tmux('display', '-p', '-t', 'events', '#{pane_title}').trim();

/** BlueAI events of the hostile types, with the hostile value and a bidi override in the payload. */
function hostileEvents(time: number): BlueaiEvent[] {
  return [
    { ...blueaiEvent(900, time), type: HOSTILE_TYPE, data: { id: `inv${RLO}_9`, object: 'invoice', status: HOSTILE_VALUE } },
    { ...blueaiEvent(901, time + 1000), type: HOSTILE_TYPE_2, data: { id: 'deal_1', object: `deal${C1_CLEAR}`, status: 'won' } },
  ];
}

describe('hostile event content in a terminal (tmux)', () => {
  it('control: a raw title sequence does set this tmux pane\'s title', async () => {
    expect(tmuxVersion(), 'tmux is required for this test: apt-get install -y tmux').toBeDefined();
    const home = tempHome();
    cleanups.push(home.cleanup);
    const socket = `events-hostile-${process.pid}`;
    const tmux = (...a: string[]) => execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
    tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'events', '-x', '80', '-y', '10', `printf '\\033]0;PWNED\\007'; sleep 60`);
    cleanups.push(() => tmux('kill-server'));
    await waitFor(() => titleOf(tmux) === 'PWNED', 10_000, 'the raw sequence to retitle the pane');
  });

  it('tail shows the escapes: the pane keeps its title, the screen is not cleared, the raw JSON is escaped too', async () => {
    expect(tmuxVersion(), 'tmux is required for this test: apt-get install -y tmux').toBeDefined();
    const fake = await startFakeBlueai();
    const home = tempHome();
    cleanups.push(() => fake.close(), home.cleanup);
    fake.add(...blueaiHistory(10, Date.now() - 30_000));
    const env = { EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: fake.apiKey, EVENTS_BASE_URL: fake.url, EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir };
    const { tmux, screen, until } = inTmux(home.dir, env, ['tail', '--interval', '200ms'], cleanups, { width: 160, timeoutMs: 30_000 });
    await until((s) => /live \(last poll \d+ s ago\)/.test(s), 'the live header');
    const title = titleOf(tmux);
    expect(title).not.toBe('PWNED');

    const ordinary = blueaiEvent(800, Date.now(), 'invoice.created');
    fake.add(ordinary);
    await until((s) => s.includes(ordinary.id), 'the ordinary event');
    const [retitle, rubout] = hostileEvents(Date.now() + 1000);
    fake.add(retitle!, rubout!);
    await until((s) => s.includes(rubout!.id), 'the hostile events');
    expect(titleOf(tmux), 'the pane title after the hostile events').toBe(title);
    const s = screen();
    expect(s).toContain('invoice.paid\\x1b]0;PWNED\\x07\\x1b[2J');
    expect(s).toContain('crm.deal\\u009b2J\\x08\\x08\\x08\\x08\\x7f\\u202eevil\\u2068x\\u2069');
    expect(s).toContain('deal\\u009b2J deal_');
    // Nothing cleared: the header and the line before them are still there, and the title is the pane's own.
    expect(s).toContain('events tail  (environment) · blueai');
    expect(s).toContain(ordinary.id);
    expect(s).toMatch(/3 events · /);
    expect(titleOf(tmux)).toBe(title);

    // The raw JSON of the first hostile event: JSON escapes ESC itself, the sanitiser the C1 and bidi controls.
    tmux('send-keys', '-t', 'events', 'Up', 'Enter');
    await until((x) => x.includes(`raw JSON of ${retitle!.id}`), 'the raw JSON');
    expect(screen()).toContain('"type": "invoice.paid\\u001b]0;PWNED\\u0007\\u001b[2J"');
    expect(screen()).toContain('\\u009b2J');
    expect(screen()).toContain(`"id": "inv\\u202e_9"`);
    expect(titleOf(tmux)).toBe(title);

    tmux('send-keys', '-t', 'events', 'q');
    await until((x) => x.includes('EXIT=0'), 'tail to end');
    expect(titleOf(tmux)).toBe(title);
  });

  it('list in a 60-column pane: every id whole, the hostile types escaped, the title kept', async () => {
    expect(tmuxVersion(), 'tmux is required for this test: apt-get install -y tmux').toBeDefined();
    const fake = await startFakeBlueai();
    const home = tempHome();
    cleanups.push(() => fake.close(), home.cleanup);
    fake.add(...blueaiHistory(8, Date.now() - 30_000), ...hostileEvents(Date.now()));
    const env = { EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: fake.apiKey, EVENTS_BASE_URL: fake.url, EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir };
    const synced = await runEvents(['sync'], env);
    expect(synced.code, synced.stderr).toBe(0);

    const { tmux, screen, until } = inTmux(home.dir, env, ['list', '--offline', '--limit', '10'], cleanups, { width: 60, timeoutMs: 30_000 });
    await until((s) => s.includes('EXIT=0'), 'list to end');
    const lines = screen().split('\n');
    for (const e of fake.events()) {
      const row = lines.find((l) => l.includes(e.id));
      expect(row, `${e.id} whole on screen:\n${screen()}`).toBeDefined();
      expect(row!.length).toBeLessThanOrEqual(60);
    }
    expect(lines[0]).toMatch(/^TYPE\s+ID$/);
    expect(screen()).toContain('invoice.paid\\x1b');
    expect(screen()).not.toMatch(/evt_\S*…/);
    expect(titleOf(tmux)).not.toBe('PWNED');
  });
});
