// The real binary's `replay` against a webhook receiver on 127.0.0.1: every request of every
// provider verified with an independent implementation (standardwebhooks; Close's and bem's
// documented recipes), bodies byte for byte, oldest first, routing, retries, --exec, --dry-run,
// hostile handlers, and bad flags refused (exit 2) before anything is sent.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/providers/registry.js';
import { cleanupAfterEach } from '../support/cli.js';
import { putEvents, sampleEvents, SECRETS, seededMirror } from '../support/deliver.js';
import { runEvents } from '../support/cli.js';
import { ENGINES, type Engine } from '../support/engines.js';
import { startReceiver } from '../support/receiver.js';
import { verifyRequest } from '../support/verify.js';
import type { BuiltinName } from '../../src/providers/types.js';

const cleanups = cleanupAfterEach();
const seeded = (engine: Engine, provider: BuiltinName, events: Parameters<typeof seededMirror>[2]) => seededMirror(engine, provider, events, cleanups);

const lines = (text: string) => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

describe.each(['close', 'seam', 'bem', 'blueai'] as const)('events replay of %s', (provider) => {
  it('sends each event oldest first, as the provider would, and a verifier with its own library accepts every request', async () => {
    const events = sampleEvents(provider, 6);
    const { run } = await seeded('sqlite', provider, [...events].reverse());
    const rx = await startReceiver();
    cleanups.push(() => rx.close());
    const r = await run(['replay', '--to', `${rx.url}/hook`, '--secret-env', 'WEBHOOK_SECRET', '--subscription-id', 'whsub_test']);
    expect(r.code, r.stderr).toBe(0);
    expect(rx.requests).toHaveLength(6);
    const ids = events.map((e) => PROVIDERS[provider].normalize(e).id);
    rx.requests.forEach((req, i) => {
      expect(req.path).toBe('/hook');
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.headers['user-agent']).toBe(provider === 'seam' ? 'Svix-Webhooks/1.77.0' : 'events-cli');
      expect(() => verifyRequest(provider, SECRETS[provider], req.headers, req.body)).not.toThrow();
      const expected = provider === 'close' ? `{"event":${JSON.stringify(events[i])},"subscription_id":"whsub_test"}` : JSON.stringify(events[i]);
      expect(req.body).toBe(expected);
    });
    const results = lines(r.stdout);
    expect(results.map((x) => x.id)).toEqual(ids);
    expect(results.every((x) => x.status === 200 && x.attempts === 1 && x.ok === true && x.to === `${rx.url}/hook`)).toBe(true);
    // The secret never appears in what the user sees.
    expect(r.stdout + r.stderr).not.toContain(SECRETS[provider].replace(/^whsec_/, ''));
  });
});

describe.each(ENGINES)('events replay (%s)', (engine) => {
  it('routes by type (first match wins), filters, and retries a failing handler with fresh signatures', async () => {
    const events = sampleEvents('blueai', 12);
    const { run } = await seeded(engine, 'blueai', events);
    const invoices = await startReceiver((_req, i) => (i === 0 ? { status: 503 } : { status: 200 }));
    const rest = await startReceiver();
    cleanups.push(() => invoices.close(), () => rest.close());
    const r = await run(['replay', '--to', `invoice.*=${invoices.url}/inv`, '--to', rest.url, '--secret-env', 'WEBHOOK_SECRET', '--type', 'invoice.*', '--type', 'customer.created']);
    expect(r.code, r.stderr).toBe(0);
    const types = (rx: typeof rest) => rx.requests.map((q) => (JSON.parse(q.body) as { type: string }).type);
    expect(types(invoices).every((t) => t.startsWith('invoice.'))).toBe(true);
    expect(types(rest).every((t) => t === 'customer.created')).toBe(true);
    const wanted = events.filter((e) => /^invoice\.|^customer\.created$/.test(String(e.type)));
    // One retry: the first delivery was sent twice, each attempt verifiable.
    expect(invoices.requests.length + rest.requests.length).toBe(wanted.length + 1);
    for (const q of [...invoices.requests, ...rest.requests]) verifyRequest('blueai', SECRETS.blueai, q.headers, q.body);
    const results = lines(r.stdout);
    expect(results).toHaveLength(wanted.length);
    expect(results.filter((x) => x.attempts === 2)).toHaveLength(1);
  });
});

describe('events replay over several profiles', () => {
  it('--all-profiles gives one timeline, oldest first, each event in its own provider\'s format', async () => {
    const bem = sampleEvents('bem', 3, 0);
    const seam = sampleEvents('seam', 3, 1);
    const { home } = await seeded('sqlite', 'bem', bem);
    await putEvents(home.db, 'seam', seam, 'p2');
    const rx = await startReceiver();
    cleanups.push(() => rx.close());
    const r = await runEvents(['replay', '--all-profiles', '--to', rx.url], { EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir });
    expect(r.code, r.stderr).toBe(0);
    const got = lines(r.stdout);
    expect(got).toHaveLength(6);
    // The two profiles' events interleave by time.
    const rows = [...bem.map((e) => PROVIDERS.bem.normalize(e)), ...seam.map((e) => PROVIDERS.seam.normalize(e))];
    expect(got.map((x) => x.id)).toEqual(rows.sort((a, b) => a.time - b.time).map((e) => e.id));
    expect(new Set(got.map((x) => x.profile))).toEqual(new Set(['p1', 'p2']));
    expect(rx.requests.filter((q) => q.headers['svix-id'])).toHaveLength(3);
  });
});

describe('events replay against hostile handlers', () => {
  it.each([
    ['answers 500', () => ({ status: 500, body: 'boom' }) as const, /500: boom/],
    ['redirects', () => ({ status: 301, headers: { location: 'http://elsewhere/' } }) as const, /301 to http:\/\/elsewhere\/ \(redirects are not followed\)/],
    ['closes the connection', () => 'close' as const, /closed the connection|socket|other side/i],
    ['hangs', () => 'hang' as const, /no answer within 0.3s/],
  ])('a handler that %s: a clear error per delivery, exit 1', async (_what, answer, message) => {
    const { run } = await seeded('sqlite', 'bem', sampleEvents('bem', 2));
    const rx = await startReceiver(answer);
    cleanups.push(() => rx.close());
    const r = await run(['--retries', '1', '--timeout', '300ms', 'replay', '--to', rx.url, '--secret-env', 'WEBHOOK_SECRET']);
    expect(r.code, r.stderr).toBe(1);
    const results = lines(r.stdout);
    expect(results).toHaveLength(2);
    for (const x of results) {
      expect(x.ok).toBe(false);
      expect(x.attempts).toBe(2);
      expect(String(x.error)).toMatch(message);
    }
    expect(rx.requests).toHaveLength(4);
    expect(r.stderr).toMatch(/2 of 2 deliveries failed/);
  });

  it('a Seam handler answering `webhook-delivery: abort-message` is not retried, as Svix does', async () => {
    const { run } = await seeded('sqlite', 'seam', sampleEvents('seam', 1));
    const rx = await startReceiver(() => ({ status: 400, headers: { 'webhook-delivery': 'abort-message' } }));
    cleanups.push(() => rx.close());
    const r = await run(['--retries', '3', 'replay', '--to', rx.url, '--secret-env', 'WEBHOOK_SECRET']);
    expect(r.code).toBe(1);
    expect(lines(r.stdout)[0]).toMatchObject({ ok: false, status: 400, attempts: 1 });
    expect(rx.requests).toHaveLength(1);
  });

  it('an unreachable URL fails each delivery with a clear error', async () => {
    const { run } = await seeded('sqlite', 'bem', sampleEvents('bem', 1));
    const r = await run(['--retries', '0', 'replay', '--to', 'http://127.0.0.1:9/']);
    expect(r.code).toBe(1);
    expect(lines(r.stdout)[0]).toMatchObject({ ok: false, status: null, attempts: 1, error: 'connection refused (is the handler running?)' });
    expect(r.stderr).toMatch(/no webhook secret/);
  });

  it.each([
    [['--to', 'ftp://x/']],
    [['--to', 'invoice.*']],
    [['--to', 'inv*x=http://h/']],
    [['--to', 'http://127.0.0.1:1/', '--exec', 'cat']],
    [['--to', 'http://127.0.0.1:1/', '--concurrency', '0']],
    [['--to', 'http://127.0.0.1:1/', '--secret-env', 'NOT_SET_ANYWHERE']],
  ])('refuses %j with exit 2 before sending anything', async (args) => {
    const { run } = await seeded('sqlite', 'bem', sampleEvents('bem', 1));
    const r = await run(['replay', ...args]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
  });
});

describe('events replay --exec and --dry-run', () => {
  it('runs the command per event with the body on stdin and the EVENTS_* variables', async () => {
    const events = sampleEvents('seam', 3);
    const { run, home } = await seeded('sqlite', 'seam', events);
    const out = path.join(home.dir, 'exec.log');
    const script = `printf '%s %s %s %s ' "$EVENTS_ID" "$EVENTS_TYPE" "$EVENTS_PROFILE" "$EVENTS_PROVIDER" >> ${out}; cat >> ${out}; echo >> ${out}`;
    const r = await run(['replay', '--exec', script]);
    expect(r.code, r.stderr).toBe(0);
    const got = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(got).toEqual(events.map((e) => `${String(e.event_id)} ${String(e.event_type)} p1 seam ${JSON.stringify(e)}`));
    expect(lines(r.stdout).map((x) => x.status)).toEqual([0, 0, 0]);
  });

  it('a command that fails is retried, then reported with its stderr (exit 1)', async () => {
    const { run } = await seeded('sqlite', 'seam', sampleEvents('seam', 1));
    const r = await run(['--retries', '1', 'replay', '--exec', 'echo nope >&2; exit 3']);
    expect(r.code).toBe(1);
    expect(lines(r.stdout)[0]).toMatchObject({ ok: false, status: 3, attempts: 2, error: 'exit 3: nope' });
  });

  it('--dry-run sends nothing and masks the signatures', async () => {
    const { run } = await seeded('sqlite', 'close', sampleEvents('close', 2));
    const rx = await startReceiver();
    cleanups.push(() => rx.close());
    const r = await run(['replay', '--to', rx.url, '--secret-stdin', '--dry-run', '--subscription-id', 'whsub_1'], SECRETS.close);
    expect(r.code, r.stderr).toBe(0);
    expect(rx.requests).toHaveLength(0);
    const previews = lines(r.stdout);
    expect(previews).toHaveLength(2);
    expect((previews[0]!.headers as Record<string, string>)['close-sig-hash']).toBe('****');
    expect(String(previews[0]!.body)).toMatch(/^\{"event":\{.*\},"subscription_id":"whsub_1"\}$/);
    expect(r.stdout + r.stderr).not.toContain(SECRETS.close);
  });

  it("signs with the profile's saved webhook secret (profile add --webhook-secret-stdin) without --secret-env", async () => {
    const { run, env } = await seeded('sqlite', 'close', sampleEvents('close', 2));
    const rx = await startReceiver();
    cleanups.push(() => rx.close());
    const args = ['replay', '--to', rx.url, '--dry-run', '--subscription-id', 'whsub_1'];
    const header = (stdout: string) => (lines(stdout)[0]!.headers as Record<string, string>)['close-sig-hash'];
    // No secret anywhere: unsigned, with a warning.
    const unsigned = await run(args);
    expect(unsigned.code, unsigned.stderr).toBe(0);
    expect(header(unsigned.stdout)).toBeUndefined();
    const added = await runEvents(
      ['profile', 'add', 'p1', '--provider', 'close', '--base-url', rx.url, '--api-key-env', 'CLOSE_KEY', '--webhook-secret-stdin'],
      { ...env, CLOSE_KEY: 'api_key_for_tests_0123456789' },
      `${SECRETS.close}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).not.toContain(SECRETS.close);
    const signed = await run(args);
    expect(signed.code, signed.stderr).toBe(0);
    expect(rx.requests).toHaveLength(0);
    expect(lines(signed.stdout)).toHaveLength(2);
    expect(header(signed.stdout)).toBe('****');
    expect(signed.stderr).not.toMatch(/unsigned/);
    expect(signed.stdout + signed.stderr).not.toContain(SECRETS.close);
  });
});
