// The three test servers of styles no built-in provider uses, each seen through the fault suite's
// Adapter shape and helpers (test/faults/providers.ts) and mirrored through a description file only: the
// binary is pointed at the described provider by name, its file saved in the temp config dir.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { adapter, envFor, fakeOf, historyTimes, type Adapter, type Fake } from '../faults/providers.js';
import { feedEvent, startFakeFeed } from '../support/fake-feed.js';
import { auditEvent, startFakeGithubAudit } from '../support/fake-github-audit.js';
import { startFakeStripe, stripeEvent } from '../support/fake-stripe.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The description each adapter's fake is mirrored through. */
export const DESCRIPTIONS: Record<string, string> = {
  stripe: path.join(ROOT, 'examples/providers/stripe.json'),
  'github-audit': path.join(ROOT, 'examples/providers/github-audit-log.json'),
  feed: path.join(ROOT, 'test/fixtures/providers/feed.json'),
};

export const describedAdapters: Adapter[] = [
  adapter({ name: 'stripe', pageSize: 100, history: 450 }, async (o, count) => {
    const fake = await startFakeStripe({ faults: o.faults, slowMs: o.slowMs, latencyMs: o.latencyMs });
    fake.add(...historyTimes(count).map((t, i) => stripeEvent(i, t)));
    let n = count;
    return fakeOf('stripe', fake, (e) => e.id, {
      addNew: (k) => fake.add(...Array.from({ length: k }, (_, i) => stripeEvent(n++, Date.now() - i * 1000))),
      addLate: (k, behind) => {
        const head = fake.events()[0]!.created * 1000;
        fake.add(...Array.from({ length: k }, (_, i) => stripeEvent(n++, head - behind - i * 1000)));
      },
    });
  }),
  adapter({ name: 'github-audit', pageSize: 100, history: 450 }, async (o, count) => {
    const fake = await startFakeGithubAudit({ faults: o.faults, slowMs: o.slowMs, latencyMs: o.latencyMs });
    fake.add(...historyTimes(count).map((t, i) => auditEvent(i, t + ((i + 1) % 997))));
    let n = count;
    return fakeOf('github-audit', fake, (e) => e._document_id, {
      addNew: (k) => fake.add(...Array.from({ length: k }, (_, i) => auditEvent(n++, Date.now() - i * 1000 - (n % 7)))),
      addLate: (k, behind) => {
        const head = fake.events()[0]!['@timestamp'];
        fake.add(...Array.from({ length: k }, (_, i) => auditEvent(n++, head - behind - i * 1000 + 3)));
      },
    });
  }),
  adapter({ name: 'feed', pageSize: 50, history: 230, secretForms: (key) => [key, Buffer.from(`:${key}`).toString('base64')] }, async (o, count) => {
    const fake = await startFakeFeed({ faults: o.faults, slowMs: o.slowMs, latencyMs: o.latencyMs });
    fake.add(...historyTimes(count).map((t, i) => feedEvent(i, t + 123)));
    let n = count;
    return fakeOf('feed', fake, (e) => e.uid, {
      addNew: (k) => fake.add(...Array.from({ length: k }, (_, i) => feedEvent(n++, Date.now() - i * 1000))),
      addLate: (k, behind) => {
        const head = Date.parse(`${fake.events().at(-1)!.updated_at}Z`);
        fake.add(...Array.from({ length: k }, (_, i) => feedEvent(n++, head - behind - i * 1000)));
        // This API's own kind of lateness: an old event rewritten now moves to the end.
        fake.rewrite(fake.events()[0]!.uid);
      },
    });
  }),
];

/** Saves `fake`'s description in the home's config dir, as `events provider add` does. */
export function saveDescription(configDir: string, provider: string): void {
  const dir = path.join(configDir, 'providers');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(DESCRIPTIONS[provider]!, path.join(dir, `${provider}.json`));
}

/** The binary's environment for a described fake: EVENTS_PROVIDER names the saved description. */
export function describedEnv(fake: Fake, home: { db: string; configDir: string }, extra: Record<string, string> = {}): Record<string, string> {
  saveDescription(home.configDir, fake.provider);
  return envFor(fake, home, extra);
}
