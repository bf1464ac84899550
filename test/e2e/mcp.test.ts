// `events mcp` through the real binary, driven by the SDK's own Client over stdio, on both
// engines: each tool answers what the CLI answers for the same question (list, get, history,
// stats, status), bad arguments are tool errors with the CLI's line and the server stays up, ten
// calls in flight all answer, no result carries a key, and --allow-network adds get_event's fetch
// and sync_profile.
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv, cleanupAfterEach, engineHome, runEvents } from '../support/cli.js';
import { blueaiEvent, blueaiHistory, startFakeBlueai } from '../support/fake-blueai.js';
import { closeEvent, closeHistory, closeTime, startFakeClose } from '../support/fake-close.js';
import { ENGINES, type Engine } from '../support/engines.js';

const cleanups = cleanupAfterEach();

interface Result {
  content: Array<{ type: string; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

/** Two synced profiles ("crm": Close, "billing": BlueAI) in a fresh mirror of `engine`; one Close event has two versions. */
async function syncedMirror(engine: Engine) {
  const close = await startFakeClose();
  const blueai = await startFakeBlueai();
  cleanups.push(() => close.close(), () => blueai.close());
  const now = Date.now();
  close.add(...closeHistory(30, now - 1_000, 60_000));
  blueai.add(...blueaiHistory(25, now - 1_500, 7_000));
  // Five events at one instant: pages must split ties without losing or repeating one.
  const tie = now - 60_000;
  blueai.add(...[100, 101, 102, 103, 104].map((n) => blueaiEvent(n, tie)));
  const home = await engineHome(engine);
  cleanups.push(home.cleanup);
  const env = { EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir, CLOSE_KEY: close.apiKey, BLUEAI_KEY: blueai.apiKey };
  const run = async (args: string[]) => runEvents(args, env);
  for (const [name, provider, url, key] of [
    ['crm', 'close', close.baseUrl, 'CLOSE_KEY'],
    ['billing', 'blueai', blueai.url, 'BLUEAI_KEY'],
  ] as const) {
    const added = await run(['profile', 'add', name, '--provider', provider, '--base-url', url, '--api-key-env', key]);
    expect(added.code, added.stderr).toBe(0);
    const synced = await run(['sync', '--profile', name]);
    expect(synced.code, synced.stderr).toBe(0);
  }
  const target = close.events()[7]!;
  close.consolidate(target.id);
  expect((await run(['sync', '--profile', 'crm'])).code).toBe(0);
  return { close, blueai, home, env, run, consolidated: target.id, keys: [close.apiKey, blueai.apiKey] };
}

/** An SDK client on `events mcp ARGS`, closed after the test; every answer it gets is kept. */
async function connect(env: Record<string, string>, args: string[] = []) {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', ...args], env: cleanEnv(env) as Record<string, string>, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const client = new Client({ name: 'events-test', version: '1.0.0' });
  const transportErrors: unknown[] = [];
  client.onerror = (err) => transportErrors.push(err);
  await client.connect(transport);
  cleanups.push(() => client.close());
  const answers: string[] = [];
  const call = async (name: string, args: Record<string, unknown> = {}): Promise<Result> => {
    const r = (await client.callTool({ name, arguments: args })) as Result;
    answers.push(JSON.stringify(r));
    return r;
  };
  return { client, call, answers, transportErrors, stderr: () => stderr };
}

const data = (r: Result) => {
  expect(r.isError, r.content[0]?.text).toBeFalsy();
  // The text copy is the same data, for clients that read only text.
  expect(JSON.parse(r.content[0]!.text)).toEqual(r.structuredContent);
  return r.structuredContent as Record<string, any>;
};

describe.each(ENGINES)('events mcp (%s)', (engine) => {
  it('answers every tool as the CLI answers the same question, pages without gaps, and never shows a key', async () => {
    const { env, run, consolidated, keys } = await syncedMirror(engine);
    const mcp = await connect(env);
    const tools = await mcp.client.listTools();
    expect(tools.tools.map((t) => t.name).sort()).toEqual(['event_history', 'event_stats', 'get_event', 'list_events', 'mirror_status']);
    for (const t of tools.tools) {
      expect(t.outputSchema, t.name).toBeDefined();
      expect(t.annotations?.readOnlyHint, t.name).toBe(true);
    }

    // list_events: the same events, in the same order, as `list --offline`.
    const cli = lines((await run(['list', '--all-profiles', '--offline', '--all', '--envelope', '-o', 'ndjson'])).stdout);
    expect(cli.length).toBe(60);
    const first = data(await mcp.call('list_events', { all_profiles: true, limit: 200, include_raw: true }));
    expect(first.has_more).toBe(false);
    expect(first.events.map((e: any) => ({ profile: e.profile, provider: e.provider, event: e.event }))).toEqual(cli);
    const billing = lines((await run(['list', '--profile', 'billing', '--offline', '--limit', '5', '-o', 'ndjson'])).stdout);
    const compact = data(await mcp.call('list_events', { profiles: ['billing'], limit: 5 }));
    expect(compact.events.map((e: any) => e.id)).toEqual(billing.map((e) => e.id));
    expect(compact.events[0]).toEqual({
      profile: 'billing',
      provider: 'blueai',
      id: billing[0]!.id,
      type: billing[0]!.type,
      time: new Date(billing[0]!.created_at as string).toISOString(),
      object: (billing[0]!.data as { id: string }).id,
      summary: expect.stringContaining((billing[0]!.data as { id: string }).id),
    });
    expect(compact.has_more).toBe(true);

    // Paging by 4 walks the same timeline, through the five-way tie, with nothing twice or missed.
    const paged: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 30; pages++) {
      const page = data(await mcp.call('list_events', { all_profiles: true, limit: 4, ...(cursor ? { cursor } : {}) }));
      paged.push(...page.events.map((e: any) => `${e.profile}/${e.id}`));
      if (!page.has_more) break;
      cursor = page.next_cursor;
    }
    expect(paged).toEqual(cli.map((e) => `${e.profile as string}/${(e.event as { id: string }).id}`));

    // Filters mean what the CLI's flags mean.
    const flags = ['--type', 'invoice.*', '--where', 'data.status=paid', '--since', '3h', '--search', 'org_test'];
    const filtered = lines((await run(['list', '--profile', 'billing', '--offline', '--all', ...flags, '-o', 'ndjson'])).stdout);
    expect(filtered.length).toBeGreaterThan(0);
    const same = data(await mcp.call('list_events', { profiles: ['billing'], types: ['invoice.*'], where: ['data.status=paid'], since: '3h', search: 'org_test', limit: 200 }));
    expect(same.events.map((e: any) => e.id)).toEqual(filtered.map((e) => e.id));

    // get_event: the raw text exactly as stored.
    const got = await run(['get', consolidated, '--profile', 'crm', '--offline', '-o', 'json']);
    expect(got.code, got.stderr).toBe(0);
    const one = await mcp.call('get_event', { id: consolidated, profile: 'crm' });
    expect(data(one).event).toEqual(JSON.parse(got.stdout));
    expect(data(one).raw_chars).toBe(got.stdout.trimEnd().length);

    // event_history: the versions and their changes.
    const history = await run(['history', consolidated, '--profile', 'crm', '-o', 'json']);
    const versions = data(await mcp.call('event_history', { id: consolidated, profile: 'crm' }));
    expect(versions.versions).toEqual(JSON.parse(history.stdout));
    expect(versions.versions).toHaveLength(2);

    // event_stats, by one key and by two.
    for (const by of [['type'], ['profile', 'day']]) {
      const stats = await run(['stats', '--all-profiles', ...by.flatMap((k) => ['--by', k]), '-o', 'json']);
      expect(data(await mcp.call('event_stats', { all_profiles: true, by })).groups).toEqual(JSON.parse(stats.stdout));
    }
    const typed = await run(['stats', '--profile', 'billing', '--type', 'invoice.*', '-o', 'json']);
    expect(data(await mcp.call('event_stats', { profiles: ['billing'], types: ['invoice.*'] })).groups).toEqual(JSON.parse(typed.stdout));

    // mirror_status: every profile, as `status` reports it.
    const status = await run(['status', '-o', 'json']);
    expect(data(await mcp.call('mirror_status')).profiles).toEqual(JSON.parse(status.stdout));

    // Ten calls in flight at once all answer.
    const many = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 3 === 0 ? mcp.call('list_events', { all_profiles: true, limit: 3 }) : i % 3 === 1 ? mcp.call('event_stats', { all_profiles: true }) : mcp.call('mirror_status'),
      ),
    );
    for (const r of many) data(r);

    for (const key of keys) for (const a of mcp.answers) expect(a).not.toContain(key);
    for (const key of keys) expect(mcp.stderr()).not.toContain(key);
    expect(mcp.transportErrors).toEqual([]);
  });

  it('gives bad arguments as tool errors with the CLI line, and goes on answering', async () => {
    const { env, run } = await syncedMirror(engine);
    const mcp = await connect(env, ['--profile', 'billing']);
    const cases: Array<[string, Record<string, unknown>, string[] | null]> = [
      ['list_events', { profiles: ['nope'] }, ['list', '--profile', 'nope', '--offline']],
      ['list_events', { since: 'yesterday' }, ['list', '--offline', '--since', 'yesterday']],
      ['list_events', { where: ['nopath'] }, ['list', '--offline', '--where', 'nopath']],
      ['list_events', { types: ['a*b'] }, ['list', '--offline', '--type', 'a*b']],
      ['list_events', { since: '1h', until: '2h' }, ['list', '--offline', '--since', '1h', '--until', '2h']],
      ['event_stats', { by: ['colour'] }, ['stats', '--by', 'colour']],
      ['get_event', { id: 'evt_nope' }, ['get', 'evt_nope', '--offline']],
      ['event_history', { id: 'evt_nope', profile: 'nope' }, ['history', 'evt_nope', '--profile', 'nope']],
      ['list_events', { limit: 10_000 }, null],
      ['list_events', { cursor: 'not-a-cursor' }, null],
    ];
    for (const [tool, args, cliArgs] of cases) {
      const r = await mcp.call(tool, args);
      expect(r.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
      const text = r.content[0]!.text;
      expect(text.split('\n')).toHaveLength(1);
      if (cliArgs) {
        const cli = await runEvents(['--profile', 'billing', ...cliArgs], env);
        expect(cli.code).not.toBe(0);
        expect(`error: ${text}\n`).toBe(cli.stderr);
      }
      // The server is still up: the next call answers.
      expect(data(await mcp.call('list_events', { limit: 1 })).events).toHaveLength(1);
    }
    expect((await mcp.call('list_events', { limit: 200 })).isError).toBeFalsy();
    expect((await mcp.call('list_events', { limit: 201 })).content[0]!.text).toBe('invalid limit "201": use a whole number from 1 to 200');
    // A wrong type is refused by the schema, as a tool error too.
    expect((await mcp.call('list_events', { limit: 'many' })).isError).toBe(true);
    expect(mcp.transportErrors).toEqual([]);
  });

  it('writes nothing but protocol on stdout, answers a piped batch whole, and exits 0 when stdin ends', async () => {
    const { env, keys } = await syncedMirror(engine);
    const request = (id: number, method: string, params: Record<string, unknown>) => JSON.stringify({ jsonrpc: '2.0', id, method, params });
    const batch = [
      request(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pipe', version: '1' } }),
      JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      request(2, 'tools/list', {}),
      request(3, 'tools/call', { name: 'list_events', arguments: { all_profiles: true, limit: 200, include_raw: true } }),
      request(4, 'tools/call', { name: 'event_stats', arguments: { all_profiles: true, by: ['day'] } }),
      request(5, 'tools/call', { name: 'list_events', arguments: { since: 'never' } }),
      request(6, 'tools/call', { name: 'mirror_status', arguments: {} }),
    ];
    const r = await runEvents(['mcp', '--profile', 'crm'], env, `${batch.join('\n')}\n`);
    expect(r.code, r.stderr).toBe(0);
    const answers = lines(r.stdout) as Array<{ jsonrpc: string; id: number; result?: Result }>;
    expect(answers.map((a) => a.jsonrpc)).toEqual(answers.map(() => '2.0'));
    expect(answers.map((a) => a.id).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const byId = new Map(answers.map((a) => [a.id, a.result!]));
    expect(byId.get(3)!.structuredContent!.events).toHaveLength(60);
    expect(byId.get(5)!.isError).toBe(true);
    expect(byId.get(6)!.isError).toBeFalsy();
    for (const key of keys) expect(r.stdout + r.stderr).not.toContain(key);
  });

  it('keeps every answer small: a huge event is cut, pages stop early and go on, history sheds bodies', async () => {
    const home = await engineHome(engine);
    cleanups.push(home.cleanup);
    const env = { EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir };
    const now = Date.now();
    const big = (n: number) => `${n} `.repeat(150_000); // 300,000+ characters
    const small = [1, 2, 3].map((n) => ({ profile: 'billing', provider: 'blueai', event: blueaiEvent(n, now - n * 60_000) }));
    const huge = blueaiEvent(9, now);
    huge.data.note = big(9);
    const first = closeEvent(5, now - 120_000);
    const v1 = { ...first, data: { ...first.data, note: big(1) } };
    const v2 = { ...v1, date_updated: closeTime(now - 1_000), data: { ...v1.data, note: big(2) } };
    const envelopes = [...small, { profile: 'billing', provider: 'blueai', event: huge }, { profile: 'crm', provider: 'close', event: v1 }];
    const imported = await runEvents(['import'], env, envelopes.map((e) => JSON.stringify(e)).join('\n'));
    expect(imported.code, imported.stderr).toBe(0);
    const updated = await runEvents(['import'], env, JSON.stringify({ profile: 'crm', provider: 'close', event: v2 }));
    expect(updated.code, updated.stderr).toBe(0);

    const mcp = await connect(env);
    const got = data(await mcp.call('get_event', { id: huge.id, profile: 'billing' }));
    const stored = (await runEvents(['get', huge.id, '--profile', 'billing', '--offline', '-o', 'json'], env)).stdout.trimEnd();
    expect(got.event).toBeNull();
    expect(got.raw_chars).toBe(stored.length);
    expect(stored.startsWith(got.raw_prefix)).toBe(true);
    expect(got.raw_prefix.length).toBeLessThan(stored.length);

    const page = data(await mcp.call('list_events', { profiles: ['billing'], include_raw: true, limit: 10 }));
    expect(page.events.map((e: any) => e.id)).toEqual([huge.id]);
    expect(page.events[0].event).toBeUndefined();
    expect(page.events[0].raw_omitted_chars).toBe(stored.length);
    expect(page.has_more).toBe(true);
    expect(page.note).toMatch(/page on with next_cursor/);
    const rest = data(await mcp.call('list_events', { profiles: ['billing'], include_raw: true, limit: 10, cursor: page.next_cursor }));
    expect(rest.events.map((e: any) => e.event)).toEqual(small.map((e) => e.event));
    expect(rest.has_more).toBe(false);

    const history = data(await mcp.call('event_history', { id: v1.id, profile: 'crm' }));
    expect(history.versions.map((v: any) => v.version)).toEqual([2]);
    expect(history.versions[0].event).toBeNull();
    expect(history.versions[0].changes).toContainEqual({ path: 'data.note', op: 'changed', from: { omitted_chars: JSON.stringify(big(1)).length }, to: { omitted_chars: JSON.stringify(big(2)).length } });
    expect(history.omitted).toMatch(/oldest version/);
    for (const a of mcp.answers) expect(a.length).toBeLessThan(500_000);
  });

  it('scrubs a saved key from a result even where an event carries it', async () => {
    const home = await engineHome(engine);
    cleanups.push(home.cleanup);
    const key = 'sk_live_a1b2c3d4e5f6g7h8';
    const env = { EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir, KEY: key };
    const added = await runEvents(['profile', 'add', 'billing', '--provider', 'blueai', '--base-url', 'http://127.0.0.1:9', '--api-key-env', 'KEY'], env);
    expect(added.code, added.stderr).toBe(0);
    const leaky = blueaiEvent(1, Date.now());
    leaky.data.note = `pasted by mistake: ${key}`;
    expect((await runEvents(['import'], env, JSON.stringify({ profile: 'billing', provider: 'blueai', event: leaky }))).code).toBe(0);
    const mcp = await connect(env);
    const listed = data(await mcp.call('list_events', { include_raw: true }));
    expect(listed.events[0].event.data.note).toBe('pasted by mistake: ****');
    const got = await mcp.call('get_event', { id: leaky.id });
    expect(data(got).event.data.note).toBe('pasted by mistake: ****');
    for (const a of mcp.answers) expect(a).not.toContain(key);
  });

  it('says clearly that a missing mirror is missing, and answers once it exists', async () => {
    const home = await engineHome(engine);
    cleanups.push(home.cleanup);
    const env = { EVENTS_CONFIG_DIR: home.configDir };
    // The mirror named by the global --db, as every command takes it.
    const mcp = await connect(env, ['--db', home.db]);
    const r = await mcp.call('mirror_status');
    expect(r.isError).toBe(true);
    expect(r.content[0]!.text).toMatch(/mirror/);
    const blueai = await startFakeBlueai();
    cleanups.push(() => blueai.close());
    blueai.add(...blueaiHistory(3));
    const sync = await runEvents(['sync', '--db', home.db], { ...env, EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: blueai.apiKey, EVENTS_BASE_URL: blueai.url });
    expect(sync.code, sync.stderr).toBe(0);
    expect(data(await mcp.call('mirror_status')).profiles).toHaveLength(1);
  });

  it('with --allow-network: get_event fetches what the mirror lacks, sync_profile syncs', async () => {
    const blueai = await startFakeBlueai();
    cleanups.push(() => blueai.close());
    blueai.add(...blueaiHistory(12));
    const home = await engineHome(engine);
    cleanups.push(home.cleanup);
    const env = { EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir, BLUEAI_KEY: blueai.apiKey };
    const added = await runEvents(['profile', 'add', 'billing', '--provider', 'blueai', '--base-url', blueai.url, '--api-key-env', 'BLUEAI_KEY'], env);
    expect(added.code, added.stderr).toBe(0);
    const offline = await connect(env);
    expect((await offline.client.listTools()).tools.map((t) => t.name)).not.toContain('sync_profile');

    const mcp = await connect(env, ['--allow-network']);
    const tools = (await mcp.client.listTools()).tools;
    expect(tools.find((t) => t.name === 'sync_profile')?.annotations?.readOnlyHint).toBe(false);
    const wanted = blueai.events()[3]!;
    const fetched = data(await mcp.call('get_event', { id: wanted.id }));
    expect(fetched.event).toEqual(wanted);
    const synced = data(await mcp.call('sync_profile', { profile: 'billing' }));
    expect(synced).toMatchObject({ profile: 'billing', provider: 'blueai', ran: true, fetched: 12, inserted: 11 });
    const listed = data(await mcp.call('list_events', { limit: 50 }));
    expect(listed.events.map((e: any) => e.id)).toEqual(blueai.events().map((e) => e.id));
    expect(data(await offline.call('get_event', { id: wanted.id })).event).toEqual(wanted);
    for (const a of [...mcp.answers, ...offline.answers]) expect(a).not.toContain(blueai.apiKey);
    expect(mcp.stderr()).not.toContain(blueai.apiKey);
  });
});

describe('the SDK bundle', () => {
  it('is dist/mcp-sdk.cjs alone, run with a code cache of its own that the first `events mcp` writes', async () => {
    const dist = path.resolve(path.dirname(BIN), '..', 'dist');
    // A string of the protocol's own schemas: in the SDK's bundle, never in the one every command reads.
    expect(fs.readFileSync(path.join(dist, 'mcp-sdk.cjs'), 'latin1')).toContain('notifications/initialized');
    expect(fs.readFileSync(path.join(dist, 'events.cjs'), 'latin1')).not.toContain('notifications/initialized');
    const stamp = Math.trunc(fs.statSync(path.join(dist, 'mcp-sdk.cjs')).mtimeMs);
    const cache = path.join(dist, `mcp-sdk.cjs.${stamp}.cache`);
    fs.rmSync(cache, { force: true });
    const home = await engineHome('sqlite');
    cleanups.push(home.cleanup);
    const mcp = await connect({ EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir });
    expect((await mcp.client.listTools()).tools.length).toBe(5);
    await mcp.client.close();
    expect(fs.statSync(cache).size).toBeGreaterThan(100_000);
  });
});
