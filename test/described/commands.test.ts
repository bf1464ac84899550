// `events provider add|list|show|remove|check`: a description saved, listed, shown and removed;
// `check --live` against each test server prints what it understood of the first page; a broken
// file (a missing field, a wrong type, an unknown paging style, bad JSON…) gets one clear line
// naming the field, and exit 2, whether checked, added or named by EVENTS_PROVIDER.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cleanupAfterEach, runEvents, tempHome } from '../support/cli.js';
import { DESCRIPTIONS, describedAdapters, describedEnv } from './adapters.js';
import { startFakeStripe, stripeEvent } from '../support/fake-stripe.js';
import { HOSTILE_TYPE, RLO, unsafeIn } from '../support/hostile-text.js';

const cleanups = cleanupAfterEach();

function home() {
  const h = tempHome();
  cleanups.push(h.cleanup);
  fs.mkdirSync(h.dir, { recursive: true });
  return { ...h, env: { EVENTS_DB: h.db, EVENTS_CONFIG_DIR: h.configDir } };
}

/** The stripe description with `change` applied, written to a file in `dir`. */
function broken(dir: string, change: (d: Record<string, any>) => void): string {
  const d = JSON.parse(fs.readFileSync(DESCRIPTIONS.stripe!, 'utf8')) as Record<string, any>;
  change(d);
  const file = path.join(dir, 'broken.json');
  fs.writeFileSync(file, JSON.stringify(d));
  return file;
}

describe('provider check --live', () => {
  it.each(describedAdapters.map((a) => [a.name, a] as const))('%s: prints the first event and the next page', async (_name, adapter) => {
    const fake = await adapter.start({ history: 120 });
    cleanups.push(() => fake.close());
    const h = home();
    const r = await runEvents(['provider', 'check', DESCRIPTIONS[adapter.name]!, '--live', '--api-key-env', 'KEY', '--base-url', fake.baseUrl], { ...h.env, KEY: fake.apiKey });
    expect(r.code, r.stderr).toBe(0);
    const truth = [...fake.truth().values()] as Array<Record<string, unknown>>;
    // The first event the API serves: the newest, or the oldest for an oldest-first API.
    const first = adapter.name === 'feed' ? truth.sort((a, b) => (String(a.updated_at) < String(b.updated_at) ? -1 : 1))[0]! : truth[0]!;
    const [id, type, time] = {
      stripe: () => [first.id, first.type, new Date(Number(first.created) * 1000)],
      'github-audit': () => [first._document_id, first.action, new Date(Number(first['@timestamp']))],
      feed: () => [first.uid, first.kind, new Date(`${String(first.occurred)}Z`)],
    }[adapter.name as 'stripe']!() as [string, string, Date];
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^ok: .* describes "${adapter.name}": GET `));
    const listPath = { stripe: '/v1/events', 'github-audit': '/orgs/acme/audit-log', feed: '/api/feed' }[adapter.name as 'stripe'];
    expect(lines[1]).toBe(`page 1: ${adapter.pageSize} events from GET ${listPath}`);
    expect(lines[2]).toMatch(new RegExp(`^first event: id "${id}", type "${type}", time ${time.toISOString()}`));
    expect(lines[3]).toMatch(/^next page: /);
    expect(lines[3]).not.toMatch(/none/);
    expect(r.stdout + r.stderr).not.toContain(fake.apiKey);
  }, 30_000);

  it('says where the list ends, and refuses a wrong key with exit 4', async () => {
    const [adapter] = describedAdapters;
    const fake = await adapter!.start({ history: 5 });
    cleanups.push(() => fake.close());
    const h = home();
    const args = ['provider', 'check', DESCRIPTIONS.stripe!, '--live', '--api-key-env', 'KEY', '--base-url', fake.baseUrl];
    const ok = await runEvents(args, { ...h.env, KEY: fake.apiKey });
    expect(ok.stdout).toContain('page 1: 5 events');
    expect(ok.stdout).toContain('next page: none (the list ends here)');
    const bad = await runEvents(args, { ...h.env, KEY: 'sk_wrong' });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/^error: stripe: 401 Unauthorized on GET \/v1\/events: Invalid API Key provided/);
  });

  it('shows a hostile first event escaped, never its controls', async () => {
    const fake = await startFakeStripe();
    cleanups.push(() => fake.close());
    fake.add({ ...stripeEvent(1, Date.now() - 1000), id: `evt_${RLO}1`, type: HOSTILE_TYPE });
    const h = home();
    const r = await runEvents(['provider', 'check', DESCRIPTIONS.stripe!, '--live', '--api-key-env', 'KEY', '--base-url', fake.url], { ...h.env, KEY: fake.apiKey });
    expect(r.code, r.stderr).toBe(0);
    expect(unsafeIn(r.stdout)).toEqual([]);
    expect(r.stdout).toContain('evt_\\u202e1');
    expect(r.stdout).toContain('invoice.paid\\u001b]0;PWNED');
  });
});

describe('a broken description: one line naming the field, exit 2', () => {
  it.each([
    ['a missing field', (d: Record<string, any>) => delete d.fields.id, /fields\.id: missing; it is required/],
    ['a wrong type', (d: Record<string, any>) => (d.paging.limit.max = '100'), /paging\.limit\.max: must be a whole number from 1 to 100000, not "100"/],
    ['an unknown paging style', (d: Record<string, any>) => (d.paging.style = 'cursor'), /paging\.style: "cursor" is not allowed; use one of id-cursor, body-token, link-header, next-url, offset, page/],
    ['a misspelt key', (d: Record<string, any>) => (d.fields.tyep = 'type'), /fields\.tyep: unknown field; fields takes id, type, time/],
    ['an unknown time format', (d: Record<string, any>) => (d.fields.time.format = 'unix'), /fields\.time\.format: "unix" is not allowed; use one of iso8601, epoch-seconds, epoch-ms/],
    ['a built-in name', (d: Record<string, any>) => (d.name = 'close'), /name: "close" is a built-in provider/],
    ['a get path without {id}', (d: Record<string, any>) => (d.get.path = '/v1/events'), /get\.path: "\/v1\/events" must hold the placeholder \{id\}/],
    ['a paging field of another style', (d: Record<string, any>) => (d.paging.from = 'next'), /paging\.from: not used by paging style "id-cursor"/],
    ['oldest first without a since filter', (d: Record<string, any>) => ((d.order = 'oldest-first'), delete d.filters.since), /order: "oldest-first" needs filters\.since/],
  ])('%s', async (_what, change, message) => {
    const h = home();
    const file = broken(h.dir, change);
    for (const args of [['provider', 'check', file], ['provider', 'add', file]]) {
      const r = await runEvents(args, h.env);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^error: provider description ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: ${message.source}[^\\n]*\\n$`));
    }
  });

  it('not JSON, or no such file', async () => {
    const h = home();
    const file = path.join(h.dir, 'x.json');
    fs.writeFileSync(file, '{"format": 1,');
    const r = await runEvents(['provider', 'check', file], h.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: provider description .*x\.json: not valid JSON \([^\n]+\)\n$/);
    const missing = await runEvents(['provider', 'add', path.join(h.dir, 'nope.json')], h.env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: no such provider description: .*nope\.json\n$/);
  });

  it('a saved file broken later: naming it in EVENTS_PROVIDER is one line and exit 2', async () => {
    const h = home();
    expect((await runEvents(['provider', 'add', DESCRIPTIONS.stripe!], h.env)).code).toBe(0);
    const saved = path.join(h.configDir, 'providers', 'stripe.json');
    fs.writeFileSync(saved, fs.readFileSync(saved, 'utf8').replace('"id-cursor"', '"idcursor"'));
    const r = await runEvents(['sync'], { ...h.env, EVENTS_PROVIDER: 'stripe', EVENTS_API_KEY: 'k' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: provider description .*stripe\.json: paging\.style: "idcursor" is not allowed[^\n]*\n$/);
  });
});

describe('provider add, list, show, remove', () => {
  it('saves, lists beside the built-ins, shows, and removes once no profile uses it', async () => {
    const h = home();
    const env = { ...h.env, KEY: 'sk_test_x' };
    for (const file of Object.values(DESCRIPTIONS)) expect((await runEvents(['provider', 'add', file], env)).code).toBe(0);
    const names = await runEvents(['provider', 'list', '--names'], env);
    expect(names.stdout.split('\n').filter(Boolean)).toEqual(['blueai', 'bem', 'close', 'seam', 'feed', 'github-audit', 'stripe']);
    const list = await runEvents(['provider', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toContainEqual({ name: 'stripe', kind: 'described', baseUrl: 'https://api.stripe.com' });
    const show = await runEvents(['provider', 'show', 'stripe', '--json'], env);
    expect(JSON.parse(show.stdout)).toMatchObject({ kind: 'described', description: { name: 'stripe', paging: { style: 'id-cursor', param: 'starting_after' } } });
    const table = await runEvents(['provider', 'show', 'github-audit', '-o', 'table'], env);
    expect(table.stdout).toMatch(/^list +GET https:\/\/api\.github\.com\/orgs\/acme\/audit-log, link-header paging, newest-first$/m);

    expect((await runEvents(['profile', 'add', 'pay', '--provider', 'stripe', '--api-key-env', 'KEY'], env)).code).toBe(0);
    const refused = await runEvents(['provider', 'remove', 'stripe'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('error: profile pay uses "stripe": remove it first (events profile remove NAME)\n');
    expect((await runEvents(['profile', 'remove', 'pay'], env)).code).toBe(0);
    const removed = await runEvents(['provider', 'remove', 'stripe'], env);
    expect(removed.code, removed.stderr).toBe(0);
    expect((await runEvents(['provider', 'remove', 'close'], env)).stderr).toBe('error: "close" is built in and cannot be removed\n');
    const unknown = await runEvents(['profile', 'add', 'pay', '--provider', 'stripe', '--api-key-env', 'KEY'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('error: unknown provider "stripe" in --provider: use one of blueai, bem, close, seam, or a described one: feed, github-audit\n');
  });
});

describe('completion', () => {
  it('bash completes --provider with the described providers saved in the config dir', async () => {
    const h = home();
    expect((await runEvents(['provider', 'add', DESCRIPTIONS.stripe!], h.env)).code).toBe(0);
    // `events` on PATH, as an installed one would be.
    const bin = path.join(h.dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'events'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
    const script = path.resolve('completions/events.bash');
    const out = execFileSync('bash', ['-c', `source ${script}; COMP_WORDS=(events profile add x --provider s); COMP_CWORD=5; _events; echo "\${COMPREPLY[*]}"`], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, EVENTS_CONFIG_DIR: h.configDir },
    }).trim();
    expect(out.split(' ').sort()).toEqual(['seam', 'stripe']);
  });
});

describe('get through a description', () => {
  it.each(describedAdapters.map((a) => [a.name, a] as const))('%s: fetches an event the mirror lacks by its get path, or says there is none', async (name, adapter) => {
    const fake = await adapter.start({ history: 10 });
    cleanups.push(() => fake.close());
    const h = home();
    const env = describedEnv(fake, h);
    const [id, raw] = [...fake.truth()][3]!;
    const r = await runEvents(['get', id, '-o', 'json'], env);
    if (name === 'github-audit') {
      // The audit log has no get-one endpoint: the description says none.
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('error: github-audit: its description has no get path, so an event not in the mirror cannot be fetched by id\n');
      return;
    }
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(raw);
    const missing = await runEvents(['get', 'nope_1'], env);
    expect(missing.code).toBe(3);
  });
});

describe('list --remote through a description', () => {
  it('sends the type and time filters the description names, and answers newest first', async () => {
    const [adapter] = describedAdapters;
    const fake = await adapter!.start({ history: 300 });
    cleanups.push(() => fake.close());
    const h = home();
    const env = describedEnv(fake, h);
    const r = await runEvents(['list', '--remote', '--type', 'invoice.paid', '--since', '2h', '--limit', '5', '-o', 'ndjson'], env);
    expect(r.code, r.stderr).toBe(0);
    // The five newest invoice.paid events lie well inside the last two hours (one event a minute).
    const expected = ([...fake.truth().values()] as Array<{ type: string }>).filter((e) => e.type === 'invoice.paid').slice(0, 5);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual(expected);
    expect(fake.listLog()[0]).toMatch(/^limit=5&types%5B%5D=invoice\.paid&created%5Bgte%5D=\d{10}$/);
  });
});
