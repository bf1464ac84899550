// Commands in-process with captured I/O, table-driven: argv → output, error line, exit code.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blueaiHistory, startFakeBlueai, type FakeBlueai } from '../support/fake-blueai.js';
import { tempHome } from '../support/cli.js';
import { runInProcess } from '../support/io.js';

let fake: FakeBlueai;
let home: ReturnType<typeof tempHome>;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeBlueai();
  fake.add(...blueaiHistory(120, Date.parse('2026-11-20T12:00:00Z'), 60_000));
  home = tempHome();
  env = { EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: fake.apiKey, EVENTS_BASE_URL: fake.url, EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir };
  expect((await runInProcess(['sync'], { env })).code).toBe(0);
});
afterAll(async () => {
  await fake.close();
  home.cleanup();
});

describe('usage errors exit 2 with one line', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['unknown flag', ['list', '--colour'], /unknown option '--colour'/],
    ['bad --since', ['list', '--since', 'yesterday'], /invalid --since "yesterday": use an ISO 8601 date/],
    ['bad --until', ['list', '--until', '2026-13-45'], /invalid --until/],
    ['bad --limit', ['list', '--limit', '0'], /invalid --limit "0"/],
    ['--limit with --all', ['list', '--limit', '5', '--all'], /--limit and --all/],
    ['bad --where', ['list', '--where', 'novalue'], /invalid --where "novalue": use PATH=VALUE/],
    ['bad --type', ['list', '--type', 'a*b'], /invalid --type/],
    ['bad --output', ['list', '-o', 'xml'], /argument 'xml' is invalid/],
    ['bad --overlap', ['sync', '--overlap', 'soon'], /invalid --overlap "soon"/],
    ['since after until', ['list', '--since', '2026-02-01', '--until', '2026-01-01'], /is after --until/],
    ['unknown profile', ['list', '--profile', 'nope'], /no profile named "nope"/],
    ['bad shell', ['completion', 'tcsh'], /value 'tcsh' is invalid/],
  ];
  it.each(cases)('%s', async (_name, argv, message) => {
    const r = await runInProcess(argv, { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('says how to add a connection when there is none', async () => {
    const bare = tempHome();
    const r = await runInProcess(['list'], { env: { EVENTS_DB: bare.db, EVENTS_CONFIG_DIR: bare.configDir } });
    bare.cleanup();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no connection configured: add one with `events profile add/);
  });

  it('wants the key when only the provider is set', async () => {
    const r = await runInProcess(['list'], { env: { EVENTS_PROVIDER: 'blueai', EVENTS_DB: home.db } });
    expect(r).toMatchObject({ code: 2 });
    expect(r.stderr).toMatch(/EVENTS_API_KEY is not/);
  });
});

describe('list', () => {
  it('prints NDJSON of raw events in a pipe, newest first, 50 by default with a note', async () => {
    const r = await runInProcess(['list', '--offline'], { env });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(50);
    expect(lines[0]).toEqual(fake.events()[0]);
    expect(r.stderr).toBe('showing 50 of 120 matching events; use --limit N or --all for more\n');
  });

  it('prints one JSON array with --json, and csv', async () => {
    const json = await runInProcess(['list', '--offline', '--json', '--limit', '3'], { env });
    expect(JSON.parse(json.stdout)).toEqual(fake.events().slice(0, 3));
    const csv = await runInProcess(['list', '--offline', '-o', 'csv', '--limit', '2'], { env });
    const [header, first] = csv.stdout.split('\n');
    expect(header).toBe('time,type,id,object');
    expect(first).toContain(fake.events()[0]!.id);
    const empty = await runInProcess(['list', '--offline', '--json', '--type', 'no.such'], { env });
    expect(JSON.parse(empty.stdout)).toEqual([]);
    expect(empty.code).toBe(0);
  });

  it('filters by type pattern, time and JSON path', async () => {
    const r = await runInProcess(['list', '--offline', '--all', '--type', 'invoice.*', '--where', 'data.status=paid', '--since', '2026-11-20T11:00:00Z'], { env });
    const got = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const want = fake
      .events()
      .filter((e) => e.type.startsWith('invoice.') && e.data.status === 'paid' && e.created_at >= '2026-11-20T11:00:00Z');
    expect(got).toEqual(want);
    expect(want.length).toBeGreaterThan(3);
  });

  it('draws a table on a terminal that fits its width, without colour under NO_COLOR, every id whole', async () => {
    const r = await runInProcess(['list', '--offline', '--limit', '3'], { env: { ...env, NO_COLOR: '1' }, tty: true, columns: 70 });
    const lines = r.stdout.trimEnd().split('\n');
    // 70 columns: the object goes and the type is cut, so that the id stays whole.
    expect(lines[0]).toMatch(/^TIME \(UTC\)\s+TYPE\s+ID$/);
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(70);
    fake.events().slice(0, 3).forEach((e, i) => expect(lines[i + 1]!.split(/\s+/)).toContain(e.id));
    expect(r.stdout).not.toContain('\x1b[');
    expect(r.stdout).toContain('…');
  });

  it('keeps the object when there is room, and shows type and id alone when there is little', async () => {
    const wide = await runInProcess(['list', '--offline', '--limit', '3'], { env: { ...env, NO_COLOR: '1' }, tty: true, columns: 120 });
    expect(wide.stdout.split('\n')[0]).toMatch(/^TIME \(UTC\)\s+TYPE\s+ID\s+OBJECT$/);
    const narrow = await runInProcess(['list', '--offline', '--limit', '3'], { env: { ...env, NO_COLOR: '1' }, tty: true, columns: 50 });
    const lines = narrow.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TYPE\s+ID$/);
    fake.events().slice(0, 3).forEach((e, i) => expect(lines[i + 1]!.endsWith(`  ${e.id}`), lines[i + 1]).toBe(true));
  });

  it('colours the type by family on a terminal', async () => {
    const r = await runInProcess(['list', '--offline', '--limit', '2'], { env, tty: true, columns: 160 });
    expect(r.stdout).toMatch(/\x1b\[\d+m(invoice|crm|customer)/);
  });
});

describe('get', () => {
  it('prints the raw object from the mirror', async () => {
    const e = fake.events()[5]!;
    const r = await runInProcess(['get', e.id, '--offline', '--json'], { env });
    expect(JSON.parse(r.stdout)).toEqual(e);
  });

  it('exits 3 for an unknown id, offline or not', async () => {
    const offline = await runInProcess(['get', 'evt_nope', '--offline'], { env });
    expect(offline.code).toBe(3);
    expect(offline.stderr).toMatch(/no event "evt_nope" in the mirror/);
    const online = await runInProcess(['get', 'evt_nope'], { env });
    expect(online.code).toBe(3);
    expect(online.stderr).toMatch(/^error: no event "evt_nope" in blueai/);
  });
});

describe('profiles', () => {
  it('adds from stdin or env, masks the key, writes the file 0600, and selects by --profile', async () => {
    const h = tempHome();
    const penv = { EVENTS_CONFIG_DIR: h.configDir, EVENTS_DB: h.db, MY_KEY: fake.apiKey };
    const added = await runInProcess(['profile', 'add', 'main', '--provider', 'blueai', '--base-url', fake.url, '--api-key-stdin'], { env: penv, stdin: `${fake.apiKey}\n` });
    expect(added.code).toBe(0);
    expect(added.stderr).toMatch(/saved profile "main" \(blueai, key \*\*\*\*\); it is the default/);
    expect(fs.statSync(`${h.configDir}/config.json`).mode & 0o777).toBe(0o600);
    expect((await runInProcess(['profile', 'add', 'second', '--provider', 'close', '--api-key-env', 'MY_KEY'], { env: penv })).code).toBe(0);
    const show = await runInProcess(['profile', 'show', 'main'], { env: penv, tty: true });
    expect(show.stdout).toMatch(/API key\s+\*\*\*\*\n/);
    expect(show.stdout).not.toContain(fake.apiKey);
    const list = await runInProcess(['profile', 'list'], { env: penv, tty: true });
    expect(list.stdout).toMatch(/^\* main\s+blueai/m);
    expect((await runInProcess(['profile', 'use', 'second'], { env: penv })).code).toBe(0);
    const synced = await runInProcess(['list', '--profile', 'main', '--limit', '1'], { env: penv });
    expect(JSON.parse(synced.stdout)).toEqual(fake.events()[0]);
    expect((await runInProcess(['profile', 'remove', 'second'], { env: penv })).code).toBe(0);
    expect((await runInProcess(['profile', 'show', 'second'], { env: penv })).code).toBe(2);
    const noKey = await runInProcess(['profile', 'add', 'x', '--provider', 'blueai'], { env: penv });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/--api-key-stdin/);
    h.cleanup();
  });

  it('saves a webhook secret from stdin or an env var (profile add, profile secret), masked, never printed, file 0600', async () => {
    const h = tempHome();
    const secret = 'whsec_0123456789abcdefWXYZ';
    const other = 'second-secret-for-tests-ABCD';
    const penv = { EVENTS_CONFIG_DIR: h.configDir, EVENTS_DB: h.db, MY_KEY: fake.apiKey, HOOK_SECRET: secret };
    const saved = () => JSON.parse(fs.readFileSync(`${h.configDir}/config.json`, 'utf8')) as { profiles: Record<string, { webhookSecret?: string }> };
    const added = await runInProcess(['profile', 'add', 'main', '--provider', 'blueai', '--api-key-env', 'MY_KEY', '--webhook-secret-env', 'HOOK_SECRET'], { env: penv });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toMatch(/saved profile "main" \(blueai, key \*\*\*\*, webhook secret \*\*\*\*WXYZ\)/);
    expect(saved().profiles.main!.webhookSecret).toBe(secret);
    expect(fs.statSync(`${h.configDir}/config.json`).mode & 0o777).toBe(0o600);
    const show = await runInProcess(['profile', 'show', 'main'], { env: penv, tty: true });
    expect(show.stdout).toMatch(/^API key\s+\*\*\*\*$/m);
    expect(show.stdout).toMatch(/^webhook secret\s+\*\*\*\*WXYZ$/m);
    const json = await runInProcess(['profile', 'show', 'main', '-o', 'json'], { env: penv });
    expect(JSON.parse(json.stdout)).toMatchObject({ name: 'main', apiKey: '****', webhookSecret: '****WXYZ' });
    for (const r of [added, show, json]) expect(r.stdout + r.stderr).not.toContain(secret);

    // A profile without one shows none; `profile secret` sets it from stdin, and replaces it.
    expect((await runInProcess(['profile', 'add', 'second', '--provider', 'close', '--api-key-env', 'MY_KEY'], { env: penv })).code).toBe(0);
    expect(JSON.parse((await runInProcess(['profile', 'show', 'second', '-o', 'json'], { env: penv })).stdout).webhookSecret).toBeNull();
    const set = await runInProcess(['profile', 'secret', 'second', '--stdin'], { env: penv, stdin: `${other}\n` });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout + set.stderr).not.toContain(other);
    expect(saved().profiles.second!.webhookSecret).toBe(other);
    const replaced = await runInProcess(['profile', 'secret', 'second', '--env', 'HOOK_SECRET'], { env: penv });
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(saved().profiles.second!.webhookSecret).toBe(secret);
    expect(saved().profiles.main!.webhookSecret).toBe(secret);
    expect(fs.statSync(`${h.configDir}/config.json`).mode & 0o777).toBe(0o600);

    // Refused (exit 2), nothing changed: no source, two sources, an empty one, an unknown profile, stdin asked twice.
    const refused: Array<[string[], string | undefined, RegExp]> = [
      [['profile', 'secret', 'second'], undefined, /--stdin/],
      [['profile', 'secret', 'second', '--stdin', '--env', 'HOOK_SECRET'], other, /do not go together/],
      [['profile', 'secret', 'second', '--env', 'UNSET_VAR'], undefined, /UNSET_VAR: that environment variable is not set/],
      [['profile', 'secret', 'second', '--stdin'], '\n', /empty/],
      [['profile', 'secret', 'nope', '--stdin'], other, /no profile named "nope"/],
      [['profile', 'add', 'x', '--provider', 'bem', '--api-key-stdin', '--webhook-secret-stdin'], 'key', /cannot both read stdin/],
    ];
    for (const [args, stdin, message] of refused) {
      const r = await runInProcess(args, { env: penv, ...(stdin === undefined ? {} : { stdin }) });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(saved().profiles.second!.webhookSecret).toBe(secret);
    expect(saved().profiles.x).toBeUndefined();
    h.cleanup();
  });

  it('reports a config file with bad JSON clearly (exit 2)', async () => {
    const h = tempHome();
    fs.mkdirSync(h.configDir, { recursive: true });
    fs.writeFileSync(`${h.configDir}/config.json`, '{ "profiles": ');
    const r = await runInProcess(['list', '--profile', 'x'], { env: { EVENTS_CONFIG_DIR: h.configDir, EVENTS_DB: h.db } });
    h.cleanup();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config\.json is not valid JSON/);
  });
});

describe('status', () => {
  it('reports events held, coverage and the last sync', async () => {
    const r = await runInProcess(['status', '--json'], { env });
    const [s] = JSON.parse(r.stdout);
    expect(s).toMatchObject({ provider: 'blueai', events: 120, lastError: null, backfill: [] });
    expect(s.complete[0].from).toBeNull();
    const text = await runInProcess(['status'], { env, tty: true });
    expect(text.stdout).toMatch(/events\s+120/);
    expect(text.stdout).toMatch(/complete\s+from the oldest event served to/);
  });
});

describe('help and version', () => {
  it('prints help and the version on stdout with exit 0', async () => {
    const help = await runInProcess(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: events/);
    const version = await runInProcess(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
