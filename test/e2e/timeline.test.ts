// Timelines, search and stats through the real binary, on both engines: two profiles of different providers synced
// from loopback fakes answer as one timeline (list --all-profiles, --envelope, PROFILE column),
// --search finds exactly the events whose string values hold a word, stats counts what the servers
// serve, history shows a consolidated Close event's versions, export | import reproduces a mirror,
// and status names the holes in what is held, with the provider's retention cliff.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { providerNamed } from '../../src/providers/registry.js';
import type { JsonObject } from '../../src/providers/types.js';
import { openStore } from '../../src/store/open.js';
import { cleanupAfterEach, engineHome, finished, runEvents, startEvents, waitFor } from '../support/cli.js';
import { blueaiEvent, blueaiHistory, startFakeBlueai } from '../support/fake-blueai.js';
import { closeEvent, closeHistory, startFakeClose } from '../support/fake-close.js';
import { ENGINES, type Engine } from '../support/engines.js';
import { withText } from '../support/rows.js';

const cleanups = cleanupAfterEach();
const DAY = 86_400_000;

const lines = (text: string) => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

/** Two profiles, "crm" (Close) and "billing" (BlueAI), saved in a fresh config, with a mirror of `engine`. */
async function twoProfiles(engine: Engine) {
  const close = await startFakeClose();
  const blueai = await startFakeBlueai();
  cleanups.push(() => close.close(), () => blueai.close());
  const now = Date.now();
  close.add(...closeHistory(40, now - 1_000, 60_000));
  blueai.add(...blueaiHistory(30, now - 1_500, 7_000));
  const home = await engineHome(engine);
  cleanups.push(home.cleanup);
  const env = { EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir, CLOSE_KEY: close.apiKey, BLUEAI_KEY: blueai.apiKey };
  const run = (args: string[], input?: string, extra: Record<string, string> = {}) => runEvents(args, { ...env, ...extra }, input);
  for (const [name, provider, url, key] of [
    ['crm', 'close', close.baseUrl, 'CLOSE_KEY'],
    ['billing', 'blueai', blueai.url, 'BLUEAI_KEY'],
  ] as const) {
    const added = await run(['profile', 'add', name, '--provider', provider, '--base-url', url, '--api-key-env', key]);
    expect(added.code, added.stderr).toBe(0);
  }
  /** What the servers serve, as (profile, normalised row). */
  const served = () => [
    ...close.events().map((raw) => ({ profile: 'crm', provider: 'close', raw, row: providerNamed('close')!.normalize(raw as unknown as JsonObject) })),
    ...blueai.events().map((raw) => ({ profile: 'billing', provider: 'blueai', raw, row: providerNamed('blueai')!.normalize(raw as unknown as JsonObject) })),
  ];
  return { close, blueai, home, env, run, served };
}

/** The tokens of a text as the search sees them: runs of letters and digits, lower-cased. */
const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : v !== null && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];

describe.each(ENGINES)('one timeline, search, stats, history, export/import (%s)', (engine) => {
  it('lists both profiles as one timeline, searches and counts what the servers serve', async () => {
    const { run, served } = await twoProfiles(engine);
    // Online: each profile is synced first, then the union answers.
    const synced = await run(['list', '--all-profiles', '--limit', '3']);
    expect(synced.code, synced.stderr).toBe(0);

    const all = await run(['list', '--all-profiles', '--offline', '--all', '--envelope', '-o', 'ndjson']);
    expect(all.code, all.stderr).toBe(0);
    const got = lines(all.stdout);
    const expected = served().sort((a, b) => b.row.time - a.row.time);
    expect(got).toEqual(expected.map((e) => ({ profile: e.profile, provider: e.provider, event: e.raw })));

    // --profile a,b is the same timeline; csv gains the profile column.
    const csv = await run(['list', '--profile', 'billing,crm', '--offline', '--limit', '5', '-o', 'csv']);
    expect(csv.code, csv.stderr).toBe(0);
    const csvLines = csv.stdout.trim().split('\n');
    expect(csvLines[0]).toBe('profile,time,type,id,object');
    expect(csvLines.slice(1).map((l) => l.split(',')[0])).toEqual(expected.slice(0, 5).map((e) => e.profile));
    expect(csv.stderr).toContain(`showing 5 of ${expected.length}`);
    const table = await run(['list', '--all-profiles', '--offline', '--limit', '4', '-o', 'table']);
    expect(table.stdout.split('\n')[0]).toMatch(/^PROFILE\s+TIME \(UTC\)\s+TYPE\s+ID\s+OBJECT$/);

    // stats --by type equals the counts of what the servers serve, with first and last times.
    const stats = await run(['stats', '--all-profiles', '--by', 'type', '-o', 'json']);
    expect(stats.code, stats.stderr).toBe(0);
    const counts = new Map<string, { type: string; count: number; first: number; last: number }>();
    for (const { row } of served()) {
      const c = counts.get(row.type) ?? { type: row.type, count: 0, first: row.time, last: row.time };
      c.count += 1;
      c.first = Math.min(c.first, row.time);
      c.last = Math.max(c.last, row.time);
      counts.set(row.type, c);
    }
    const statRows = JSON.parse(stats.stdout) as Array<{ type: string; count: number; first: string; last: string }>;
    expect(statRows.map((r) => ({ type: r.type, count: r.count, first: Date.parse(r.first), last: Date.parse(r.last) })).sort((a, b) => a.type.localeCompare(b.type))).toEqual(
      [...counts.values()].sort((a, b) => a.type.localeCompare(b.type)),
    );
    const byProfile = await run(['stats', '--all-profiles', '--by', 'profile', '-o', 'ndjson']);
    expect(lines(byProfile.stdout).map((r) => [r.profile, r.count])).toEqual([
      ['crm', 40],
      ['billing', 30],
    ]);

    // A word taken from one event's payload finds exactly the events whose string values hold it.
    const one = served().find((e) => e.profile === 'crm' && (e.raw as { request_id: string }).request_id === 'req_17')!;
    expect(one).toBeDefined();
    const phrase = words('req_17');
    const holds = (raw: unknown) => strings(raw).some((s) => ` ${words(s).join(' ')} `.includes(` ${phrase.join(' ')} `));
    const wanted = served().filter((e) => holds(e.raw)).sort((a, b) => b.row.time - a.row.time);
    expect(wanted.length).toBeGreaterThanOrEqual(2); // req_17 in both providers' events
    const found = await run(['list', '--all-profiles', '--offline', '--all', '--search', 'req_17', '--envelope']);
    expect(found.code, found.stderr).toBe(0);
    expect(lines(found.stdout).map((l) => [l.profile, (l.event as { id: string }).id])).toEqual(wanted.map((e) => [e.profile, e.row.id]));
    // Combined with a type, on one profile; and a word nobody holds.
    const narrowed = await run(['list', '--profile', 'crm', '--offline', '--all', '--search', 'req_17', '--type', one.row.type]);
    expect(lines(narrowed.stdout).map((e) => e.id)).toEqual([one.row.id]);
    const none = await run(['list', '--all-profiles', '--offline', '--search', 'zyzzyva']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    const bad = await run(['list', '--offline', '--search', '"*"']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid --search');
  });

  it('a profile whose sync fails is one error line; the other still answers', async () => {
    const { run, served, close } = await twoProfiles(engine);
    const add = await run(['profile', 'add', 'broken', '--provider', 'close', '--base-url', close.baseUrl, '--api-key-env', 'WRONG'], undefined, { WRONG: 'not-the-key' });
    expect(add.code, add.stderr).toBe(0);
    const r = await run(['list', '--profile', 'billing,broken', '--all', '--envelope']);
    expect(r.code).toBe(4); // the refused key's exit code
    expect(r.stderr.split('\n').filter((l) => l.includes('"broken" failed'))).toHaveLength(2); // its line, and the summary
    expect(r.stderr).not.toContain('"billing" failed');
    const billing = served().filter((e) => e.profile === 'billing').sort((a, b) => b.row.time - a.row.time);
    expect(lines(r.stdout).map((l) => (l.event as { id: string }).id)).toEqual(billing.map((e) => e.row.id));
  });

  it('shows the versions of a consolidated Close event with the changed paths, and marks it in the table', async () => {
    const { close, run } = await twoProfiles(engine);
    expect((await run(['sync', '--profile', 'crm'])).code).toBe(0);
    const target = close.events()[12]!;
    const next = close.consolidate(target.id);
    const sync = await run(['sync', '--profile', 'crm']);
    expect(sync.code, sync.stderr).toBe(0);

    const history = await run(['history', target.id, '--profile', 'crm', '-o', 'json']);
    expect(history.code, history.stderr).toBe(0);
    const versions = JSON.parse(history.stdout) as Array<{ version: number; updated: string; changes: Array<{ path: string; op: string; from?: unknown; to?: unknown }>; event: unknown }>;
    expect(versions.map((v) => v.event)).toEqual([target, next]);
    expect(versions[0]!.changes).toEqual([]);
    expect(versions[1]!.changes).toEqual(
      expect.arrayContaining([
        { path: 'date_updated', op: 'changed', from: target.date_updated, to: next.date_updated },
        { path: 'data.note', op: 'changed', from: (target.data as { note: string }).note, to: 'consolidated 1' },
        { path: 'meta.consolidated', op: 'added', to: 1 },
      ]),
    );
    const text = await run(['history', target.id, '--profile', 'crm', '-o', 'table']);
    expect(text.stdout).toContain('2 versions');
    expect(text.stdout).toContain(`data.note: "${(target.data as { note: string }).note}" → "consolidated 1"`);
    expect(text.stdout).not.toContain('\x1b['); // no colour in a pipe

    const table = await run(['list', '--profile', 'crm', '--offline', '--limit', '100', '-o', 'table']);
    const marked = table.stdout.split('\n').filter((l) => l.includes('↻'));
    expect(marked).toHaveLength(1);
    expect(marked[0]).toContain(target.id);
    expect(marked[0]).toContain('↻ 2');

    // --envelope with one profile too.
    const one = await run(['list', '--profile', 'crm', '--offline', '--limit', '1', '--envelope', '--json']);
    const newest = [...close.events()].sort((a, b) => (a.date_created < b.date_created ? 1 : -1))[0];
    expect(JSON.parse(one.stdout)).toEqual([{ profile: 'crm', provider: 'close', event: newest }]);

    const missing = await run(['history', 'ev_nope', '--profile', 'crm']);
    expect(missing.code).toBe(3);
  });

  it('export | import into an empty mirror reproduces list --all, and a malformed line stops with its number', async () => {
    const { run, env } = await twoProfiles(engine);
    expect((await run(['list', '--all-profiles', '--limit', '1'])).code).toBe(0);
    const exported = await run(['export', '--all-profiles']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain('exported 70 events');
    expect(lines(exported.stdout).every((l) => typeof l.profile === 'string' && typeof l.provider === 'string' && typeof l.event === 'object')).toBe(true);

    const other = await engineHome(engine);
    cleanups.push(other.cleanup);
    const there = { EVENTS_DB: other.db };
    const imported = await run(['import'], exported.stdout, there);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain('imported 70 events: 70 new, 0 updated, 0 unchanged');
    for (const p of ['crm', 'billing']) {
      const a = await run(['list', '--profile', p, '--offline', '--all', '-o', 'ndjson']);
      const b = await run(['list', '--profile', p, '--offline', '--all', '-o', 'ndjson'], undefined, there);
      expect(b.stdout).toBe(a.stdout);
      expect(a.stdout.split('\n').length).toBeGreaterThan(30);
    }
    const again = await run(['import'], exported.stdout, there);
    expect(again.stderr).toContain('0 new, 0 updated, 70 unchanged');
    // Import never marks coverage: the mirror still knows it walked nothing.
    const status = await run(['status', '--json'], undefined, there);
    expect((JSON.parse(status.stdout) as Array<{ complete: unknown[] }>).every((r) => r.complete.length === 0)).toBe(true);

    // Raw events with --profile, from a file; a malformed third line keeps the two before it.
    const third = await engineHome(engine);
    cleanups.push(third.cleanup);
    const crmLines = lines(exported.stdout).filter((l) => l.profile === 'crm').map((l) => JSON.stringify(l.event));
    const file = path.join(third.dir, 'raw.ndjson');
    fs.writeFileSync(file, `${crmLines[0]}\n${crmLines[1]}\n{"id": oops\n${crmLines[2]}\n`);
    const partial = await run(['import', file, '--profile', 'crm'], undefined, { EVENTS_DB: third.db });
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain('line 3');
    expect(partial.stderr).toContain('imported 2 events: 2 new');
    const held = await run(['list', '--profile', 'crm', '--offline', '--all'], undefined, { EVENTS_DB: third.db });
    expect(lines(held.stdout).map((e) => e.id).sort()).toEqual([crmLines[0], crmLines[1]].map((l) => (JSON.parse(l!) as { id: string }).id).sort());
    const rawNoProfile = await runEvents(['import', file], { EVENTS_DB: third.db, EVENTS_CONFIG_DIR: env.EVENTS_CONFIG_DIR });
    expect(rawNoProfile.code).toBe(2);
    expect(rawNoProfile.stderr).toContain('--profile');
  });

  it('status shows the gaps between complete ranges, and when Close stops serving them; list warns', async () => {
    const { run, home } = await twoProfiles(engine);
    expect((await run(['sync', '--profile', 'crm'])).code).toBe(0);
    // A stretch 28 to 27 days back that the mirror does not hold: Close drops it in about 2 days.
    const now = Date.now();
    const store = await openStore(home.db);
    try {
      await store.addCoverage('crm', { lo: now - 40 * DAY, hi: now - 28 * DAY });
      const [newest] = await store.coverage('crm');
      // The sync covered everything Close served; narrow it so that a gap stands above the old range.
      expect(newest).toBeDefined();
    } finally {
      await store.close();
    }
    const status = await run(['status', '--profile', 'crm', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const [report] = JSON.parse(status.stdout) as Array<{ complete: unknown[]; holes: Array<{ kind: string; from: string; to: string; leavesApiAt: string; message: string }> }>;
    // The sync's own range reaches to the oldest event (lo null), so it swallows the older one: no gap.
    expect(report!.holes).toEqual([]);

    // A real gap: a mirror whose sync started 5 days back, and an old range 29 to 28 days back.
    const gapHome = await engineHome(engine);
    cleanups.push(gapHome.cleanup);
    const gapStore = await openStore(gapHome.db);
    try {
      await gapStore.putEvents('crm', 'close', []);
      await gapStore.updateMeta('crm', 'close', { lastSync: now });
      await gapStore.addCoverage('crm', { lo: now - 5 * DAY, hi: now });
      await gapStore.addCoverage('crm', { lo: now - 29 * DAY, hi: now - 28 * DAY });
    } finally {
      await gapStore.close();
    }
    const there = { EVENTS_DB: gapHome.db };
    const gapped = await run(['status', '--profile', 'crm', '--json'], undefined, there);
    const [g] = JSON.parse(gapped.stdout) as typeof report[];
    expect(g!.holes).toHaveLength(1);
    const hole = g!.holes[0]!;
    expect(hole.kind).toBe('gap');
    expect(Date.parse(hole.from)).toBe(now - 28 * DAY);
    expect(Date.parse(hole.to)).toBe(now - 5 * DAY);
    expect(Date.parse(hole.leavesApiAt)).toBe(now + 2 * DAY);
    expect(hole.message).toMatch(/^23 days of close history before .* are not mirrored and leave the API in (2 days|48 h): `events sync --since \d{4}-\d\d-\d\d`$/);
    const text = await run(['status', '--profile', 'crm', '-o', 'table'], undefined, there);
    expect(text.stdout).toMatch(/gap +.*\(23 days\)/);
    const listed = await run(['list', '--profile', 'crm', '--offline'], undefined, there);
    expect(listed.code).toBe(0);
    expect(listed.stderr.split('\n').filter((l) => l.startsWith('warning:'))).toEqual([expect.stringMatching(/^warning: "crm": 23 days of close history .* leave the API in (2 days|48 h)/)]);
  });

  it('stats: a day histogram with its empty buckets, two keys, --top, csv, and bars only on a terminal', async () => {
    const home = await engineHome(engine);
    cleanups.push(home.cleanup);
    const day0 = Date.UTC(2026, 10, 1);
    const store = await openStore(home.db);
    try {
      const ev = (n: number, t: number, type: string) => withText({ id: `e${n}`, type, time: t, updated: t, object: `o${n % 2}`, raw: { id: `e${n}`, type } });
      await store.putEvents('p', 'blueai', [ev(1, day0 + 5, 'a.x'), ev(2, day0 + 10, 'a.y'), ev(3, day0 + 3 * DAY + 1, 'a.x'), ev(4, day0 + 3 * DAY + 2, 'a.x')]);
    } finally {
      await store.close();
    }
    const run = (args: string[]) => runEvents(args, { EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir });
    const days = await run(['stats', '--profile', 'p', '--by', 'day', '-o', 'csv']);
    expect(days.code, days.stderr).toBe(0);
    expect(days.stdout.trim().split('\n')).toEqual([
      'day,count,first,last',
      `2026-11-01T00:00:00.000Z,2,${new Date(day0 + 5).toISOString()},${new Date(day0 + 10).toISOString()}`,
      '2026-11-02T00:00:00.000Z,0,,',
      '2026-11-03T00:00:00.000Z,0,,',
      `2026-11-04T00:00:00.000Z,2,${new Date(day0 + 3 * DAY + 1).toISOString()},${new Date(day0 + 3 * DAY + 2).toISOString()}`,
    ]);
    const two = await run(['stats', '--profile', 'p', '--by', 'type', '--by', 'object', '-o', 'ndjson', '--top', '1']);
    expect(lines(two.stdout)).toEqual([{ type: 'a.x', object: 'o1', count: 2, first: new Date(day0 + 5).toISOString(), last: new Date(day0 + 3 * DAY + 1).toISOString() }]);
    const table = await run(['stats', '--profile', 'p', '--by', 'type', '-o', 'table']);
    expect(table.stdout.split('\n')[0]).toMatch(/^TYPE\s+COUNT\s+FIRST \(UTC\)\s+LAST \(UTC\)$/);
    const bars = table.stdout.split('\n').slice(1, 3).map((l) => (l.match(/█+/) ?? [''])[0].length);
    expect(bars[0]).toBeGreaterThan(bars[1]!); // 3 against 1, scaled to the window
    expect(bars[1]).toBeGreaterThan(0);
    const badBy = await run(['stats', '--profile', 'p', '--by', 'week']);
    expect(badBy.code).toBe(2);
  });

  it('tail --all-profiles --offline follows what is written to either profile, one NDJSON line each', async () => {
    const home = await engineHome(engine);
    cleanups.push(home.cleanup);
    const writer = await openStore(home.db);
    cleanups.push(() => writer.close());
    const norm = (provider: string, raw: object) => withText(providerNamed(provider)!.normalize(raw as JsonObject));
    await writer.putEvents('billing', 'blueai', [norm('blueai', blueaiEvent(1, Date.now() - 60_000))]);
    await writer.putEvents('crm', 'close', [norm('close', closeEvent(2, Date.now() - 60_000))]);
    const tail = startEvents(['tail', '--all-profiles', '--offline', '--search', 'paid invoice*'], { EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir });
    let out = '';
    let err = '';
    tail.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    tail.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const done = finished(tail);
    await waitFor(() => err.includes('tail: billing: live') && err.includes('tail: crm: live'), 15_000, `both profiles live; stderr: ${err}`);
    const paid = blueaiEvent(3, Date.now(), 'invoice.paid');
    const draft = blueaiEvent(4, Date.now(), 'invoice.created'); // status "draft": no "paid" in it
    const lead = { ...closeEvent(5, Date.now()), data: { id: 'lead_1', note: 'invoice paid by phone' } };
    await writer.putEvents('billing', 'blueai', [norm('blueai', paid), norm('blueai', draft)]);
    await writer.putEvents('crm', 'close', [norm('close', lead)]);
    await waitFor(() => out.split('\n').filter((l) => l !== '').length >= 2, 15_000, `two events; stdout: ${out}`);
    tail.kill('SIGINT');
    await done;
    expect(lines(out).map((e) => e.id).sort()).toEqual([paid.id, lead.id].sort());
  });
});

describe.each(ENGINES)('tail over several profiles, one failing (%s)', (engine) => {
  it('keeps following the good profile when the other is refused, names the failing one once, exits 130 on SIGINT', async () => {
    const close = await startFakeClose();
    const blueai = await startFakeBlueai();
    cleanups.push(() => close.close(), () => blueai.close());
    blueai.add(...blueaiHistory(5, Date.now() - 1_500, 7_000));
    const home = await engineHome(engine);
    cleanups.push(home.cleanup);
    const env = { EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir, WRONG_KEY: 'not-the-key', BLUEAI_KEY: blueai.apiKey };
    for (const [name, provider, url, key] of [
      ['crm', 'close', close.baseUrl, 'WRONG_KEY'],
      ['billing', 'blueai', blueai.url, 'BLUEAI_KEY'],
    ] as const) {
      const added = await runEvents(['profile', 'add', name, '--provider', provider, '--base-url', url, '--api-key-env', key], env);
      expect(added.code, added.stderr).toBe(0);
    }
    const tail = startEvents(['tail', '--profile', 'crm,billing', '--interval', '200ms'], env);
    cleanups.push(() => {
      if (tail.exitCode === null) tail.kill('SIGKILL');
    });
    let out = '';
    let err = '';
    tail.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    tail.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const done = finished(tail);
    await waitFor(() => err.includes('tail: billing: live') && err.includes('tail: crm: stopped: '), 15_000, `billing live, crm stopped; stderr: ${err}`);
    // The refused profile stopped; the other one still streams what arrives.
    const fresh = [blueaiEvent(101, Date.now()), blueaiEvent(102, Date.now() + 1)];
    blueai.add(...fresh);
    await waitFor(() => fresh.every((e) => out.includes(e.id)), 15_000, `the new events; stdout: ${out}`);
    expect(tail.exitCode).toBeNull();
    tail.kill('SIGINT');
    const result = await done;
    expect(result.code, err).toBe(130);
    expect(lines(out).map((e) => e.id)).toEqual(fresh.map((e) => e.id));
    const crmLines = err.split('\n').filter((l) => l.startsWith('tail: crm: stopped: '));
    expect(crmLines, err).toHaveLength(1);
    expect(err.split('\n').filter((l) => l.includes('tail: billing: stopped'))).toEqual([]);
    expect(crmLines[0]).not.toContain('not-the-key');
  });

  it('ends when every profile has stopped, with the exit code of the first failure', async () => {
    const close = await startFakeClose();
    const blueai = await startFakeBlueai();
    cleanups.push(() => close.close(), () => blueai.close());
    const home = await engineHome(engine);
    cleanups.push(home.cleanup);
    const env = { EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir, WRONG_KEY: 'not-the-key' };
    for (const [name, provider, url] of [
      ['crm', 'close', close.baseUrl],
      ['billing', 'blueai', blueai.url],
    ] as const) {
      const added = await runEvents(['profile', 'add', name, '--provider', provider, '--base-url', url, '--api-key-env', 'WRONG_KEY'], env);
      expect(added.code, added.stderr).toBe(0);
    }
    const result = await runEvents(['tail', '--all-profiles', '--interval', '200ms'], env);
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toContain('tail: crm: stopped: ');
    expect(result.stderr).toContain('tail: billing: stopped: ');
  });
});
