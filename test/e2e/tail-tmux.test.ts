// `events tail` in a real terminal: tmux runs the binary in a pane, the test types keys with
// send-keys and reads the screen with capture-pane. tmux is required (CI installs it); without it
// this test fails and says so, rather than passing with nothing checked. The second case follows a
// PostgreSQL mirror offline while another process syncs into it.
import { afterEach, describe, expect, it } from 'vitest';
import { engineHome, runEvents, tempHome } from '../support/cli.js';
import { inTmux, tmuxVersion } from '../support/tmux.js';
import { blueaiEvent, blueaiHistory, startFakeBlueai } from '../support/fake-blueai.js';
import { closeEvent, closeHistory, startFakeClose } from '../support/fake-close.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('events tail on a terminal (tmux)', () => {
  it('shows the live view, follows new events, opens the raw JSON and quits with q', async () => {
    expect(tmuxVersion(), 'tmux is required for this test: apt-get install -y tmux').toBeDefined();
    const fake = await startFakeBlueai();
    const home = tempHome();
    cleanups.push(() => fake.close(), home.cleanup);
    fake.add(...blueaiHistory(20, Date.now() - 30_000));

    const env = { EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: fake.apiKey, EVENTS_BASE_URL: fake.url, EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir };
    const { tmux, screen, until } = inTmux(home.dir, env, ['tail', '--interval', '200ms'], cleanups, { width: 100, timeoutMs: 30000 });

    await until((s) => /live \(last poll \d+ s ago\)/.test(s), 'the live header');
    expect(screen()).toContain('events tail  (environment) · blueai');
    expect(screen()).toContain('waiting for new events');

    const first = blueaiEvent(501, Date.now(), 'invoice.paid');
    const second = blueaiEvent(502, Date.now() + 1000, 'crm.deal.created');
    fake.add(first, second);
    const short = (id: string) => id.slice(0, 13);
    await until((s) => s.includes(short(second.id)), 'the new events');
    const row = screen().split('\n').find((l) => l.includes(short(first.id)))!;
    // The id whole (it can be copied), the summary giving up room for it.
    expect(row).toMatch(new RegExp(`^›? +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +invoice\\.paid +${first.id} +invoice invoice`));
    expect(screen()).toMatch(/2 events · /);
    // The type is coloured by its family.
    expect(tmux('capture-pane', '-p', '-e', '-t', 'events')).toMatch(/\x1b\[[0-9;]*m\s*invoice\.paid/);

    tmux('send-keys', '-t', 'events', 'Up', 'Enter');
    await until((s) => s.includes(`raw JSON of ${first.id}`), 'the raw JSON');
    expect(screen()).toContain('"request_id": "req_501"');
    tmux('send-keys', '-t', 'events', 'Escape');
    await until((s) => !s.includes('raw JSON') && s.includes(short(second.id)), 'the list again');

    tmux('send-keys', '-t', 'events', 'q');
    await until((s) => s.includes('EXIT=0'), 'tail to end');
    // The alternate screen is gone: the shell's screen is back as it was.
    expect(screen()).not.toContain('events tail');
  });

  it('follows a PostgreSQL mirror offline: the header says so, and events another process syncs appear', async () => {
    expect(tmuxVersion(), 'tmux is required for this test: apt-get install -y tmux').toBeDefined();
    const fake = await startFakeBlueai();
    const home = await engineHome('postgres');
    cleanups.push(() => fake.close(), home.cleanup);
    fake.add(...blueaiHistory(20, Date.now() - 30_000));
    const env = { EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: fake.apiKey, EVENTS_BASE_URL: fake.url, EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir };
    expect((await runEvents(['sync'], env)).code).toBe(0);
    const requests = fake.listRequests().length;

    const { tmux, screen, until } = inTmux(home.dir, env, ['tail', '--offline'], cleanups, { width: 100, timeoutMs: 30000 });
    await until((s) => /live \(following the mirror; last change read \d+ s ago\)/.test(s), 'the offline header');
    expect(screen()).toContain('events tail  (environment) · blueai');
    expect(screen()).toContain('waiting for new events');

    // Offline: the tail never asks the provider; only the other process's sync does.
    expect(fake.listRequests().length).toBe(requests);
    const fresh = blueaiEvent(701, Date.now(), 'invoice.paid');
    const other = blueaiEvent(702, Date.now() + 1000, 'crm.deal.created');
    fake.add(fresh, other);
    const synced = await runEvents(['sync'], env);
    expect(synced.code, synced.stderr).toBe(0);
    const afterSync = fake.listRequests().length;
    const short = fresh.id.slice(0, 13);
    await until((s) => s.includes(short) && s.includes(other.id.slice(0, 13)), 'the events the other process synced');
    const row = screen().split('\n').find((l) => l.includes(short))!;
    expect(row).toMatch(new RegExp(`^›? +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +invoice\\.paid +${fresh.id} +invoice invoice`));
    expect(screen()).toMatch(/2 events · /);
    expect(fake.listRequests().length).toBe(afterSync);

    tmux('send-keys', '-t', 'events', 'q');
    await until((s) => s.includes('EXIT=0'), 'tail to end');
    expect(screen()).not.toContain('events tail');
  });

  it('follows two profiles of different providers in one view (--all-profiles), the header naming each one\'s state', async () => {
    expect(tmuxVersion(), 'tmux is required for this test: apt-get install -y tmux').toBeDefined();
    const blueai = await startFakeBlueai();
    const close = await startFakeClose();
    const home = tempHome();
    cleanups.push(() => blueai.close(), () => close.close(), home.cleanup);
    blueai.add(...blueaiHistory(10, Date.now() - 30_000));
    close.add(...closeHistory(10, Date.now() - 30_000));
    const env = { EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir, BK: blueai.apiKey, CK: close.apiKey };
    for (const [name, provider, url, key] of [['billing', 'blueai', blueai.url, 'BK'], ['crm', 'close', close.baseUrl, 'CK']] as const) {
      const added = await runEvents(['profile', 'add', name, '--provider', provider, '--base-url', url, '--api-key-env', key], env);
      expect(added.code, added.stderr).toBe(0);
    }
    const { tmux, screen, until } = inTmux(home.dir, env, ['tail', '--all-profiles', '--interval', '200ms'], cleanups, { width: 100, timeoutMs: 30000 });
    await until((s) => s.includes('billing: live · crm: live'), 'both profiles live in the header');
    expect(screen()).toContain('events tail  billing, crm · blueai, close');
    expect(screen()).toMatch(/live \(last poll \d+ s ago/);

    const paid = blueaiEvent(801, Date.now(), 'invoice.paid');
    const lead = closeEvent(802, Date.now() + 1000);
    blueai.add(paid);
    close.add(lead);
    await until((s) => s.includes(paid.id.slice(0, 13)) && s.includes(lead.id), 'an event of each profile');
    expect(screen().split('\n').find((l) => l.includes(paid.id.slice(0, 13)))).toMatch(new RegExp(`${paid.id} +billing · invoi`));
    expect(screen().split('\n').find((l) => l.includes(lead.id))).toMatch(/crm( · .*)?$/);

    tmux('send-keys', '-t', 'events', 'q');
    await until((s) => s.includes('EXIT=0'), 'tail to end');
  });
});
