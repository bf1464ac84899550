// The live commands over described providers, through the real binary in a pipe: `tail` prints
// each new event once, as the API returned it, and `forward` delivers bodies whose signatures
// verify with code that is not the tool's: Stripe's `t=…,v1=…` and GitHub's `sha256=` HMAC written
// here with node:crypto, Standard Webhooks with the `standardwebhooks` package.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, collecting, tempHome, waitFor } from '../support/cli.js';
import { startReceiver } from '../support/receiver.js';
import { describedAdapters, describedEnv } from './adapters.js';

const cleanups = cleanupAfterEach();
const SECRETS: Record<string, string> = {
  stripe: 'whsec_stripeLikeSecret_0123456789',
  'github-audit': 'a GitHub webhook secret',
  feed: `whsec_${Buffer.from('feed webhook key, 24 bytes').toString('base64')}`,
};

const header = (h: IncomingHttpHeaders, name: string) => String(h[name] ?? '');
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Throws unless `body` carries a valid signature of the scheme the adapter's description names. */
function verify(provider: string, headers: IncomingHttpHeaders, body: string): void {
  const secret = SECRETS[provider]!;
  if (provider === 'stripe') {
    // Stripe's documented check: split the header, HMAC-SHA256(secret, `${t}.${body}`), compare v1.
    const parts = new Map(header(headers, 'stripe-signature').split(',').map((kv) => kv.split('=') as [string, string]));
    const t = parts.get('t') ?? '';
    if (Math.abs(Date.now() / 1000 - Number(t)) > 300) throw new Error(`stale timestamp ${t}`);
    const expected = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
    if (!same(expected, parts.get('v1') ?? '')) throw new Error('Stripe-Signature does not match');
  } else if (provider === 'github-audit') {
    const expected = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    if (!same(expected, header(headers, 'x-hub-signature-256'))) throw new Error('X-Hub-Signature-256 does not match');
  } else {
    new Webhook(secret).verify(body, { 'webhook-id': header(headers, 'webhook-id'), 'webhook-timestamp': header(headers, 'webhook-timestamp'), 'webhook-signature': header(headers, 'webhook-signature') });
  }
}

describe.each(describedAdapters)('$name, described', (adapter) => {
  it('tail prints each new event once, as the API returned it', async () => {
    const fake = await adapter.start({ history: 40 });
    const h = tempHome();
    cleanups.push(() => fake.close(), h.cleanup);
    const env = describedEnv(fake, h);
    const t = collecting(['tail', '--interval', '200ms'], env, cleanups);
    await waitFor(() => t.stderr().includes('tail: live'), 15_000, 'tail to go live');
    const before = new Set(fake.truth().keys());
    fake.addNew(3);
    const fresh = [...fake.truth()].filter(([id]) => !before.has(id));
    const lines = () => t.stdout().split('\n').filter((l) => l !== '');
    await waitFor(() => lines().length >= 3, 15_000, 'the three new events');
    const polls = fake.listRequests();
    await waitFor(() => fake.listRequests() >= polls + 3, 15_000, 'three more polls');
    expect(lines().map((l) => JSON.parse(l) as unknown).sort(byJson)).toEqual(fresh.map(([, raw]) => raw).sort(byJson));
  }, 60_000);

  it('forward delivers new events, signed as the description says', async () => {
    const fake = await adapter.start({ history: 40 });
    const h = tempHome();
    const rx = await startReceiver();
    cleanups.push(() => fake.close(), h.cleanup, () => rx.close());
    const env = describedEnv(fake, h, { SECRET: SECRETS[adapter.name]! });
    const f = collecting(['forward', '--consumer', 'hooks', '--interval', '200ms', '--to', rx.url, '--secret-env', 'SECRET'], env, cleanups);
    await waitFor(() => /consumer "hooks" (is new|resumes)/.test(f.stderr()), 15_000, 'forward to start');
    const before = new Set(fake.truth().keys());
    fake.addNew(4);
    const fresh = [...fake.truth()].filter(([id]) => !before.has(id)).map(([, raw]) => JSON.stringify(raw));
    await waitFor(() => fresh.every((body) => rx.requests.some((q) => q.body === body)), 20_000, 'the four new events delivered');
    for (const q of rx.requests) verify(adapter.name, q.headers, q.body);
    expect(rx.requests.length).toBeGreaterThanOrEqual(4);
  }, 60_000);
});

function byJson(a: unknown, b: unknown): number {
  const [x, y] = [JSON.stringify(a), JSON.stringify(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
