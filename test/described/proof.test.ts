// The proof of the format: the built-in providers written as descriptions (examples/providers/)
// and synced against the built-ins' own test servers give the same mirror as the built-ins do,
// through a first sync and a rescan that meets new and late events (and Close's consolidated
// ones). Seam's description says what data can (its sub-millisecond rounding of created_at stays
// code, so its `updated` column is left out of the comparison).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildProvider } from '../../src/providers/described/build.js';
import { readDescription } from '../../src/providers/described/saved.js';
import { providerNamed } from '../../src/providers/registry.js';
import type { StoredEvent } from '../../src/store/contract.js';
import { adapters, sortedEntries } from '../faults/providers.js';
import { cleanupAfterEach } from '../support/cli.js';
import { syncRig } from '../support/sync.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cleanups = cleanupAfterEach();

const project = (name: string) => (e: StoredEvent) => (name === 'seam' ? { ...e, updated: undefined } : e);

describe.each(adapters)('$name as a description', (adapter) => {
  it('mirrors exactly what the built-in provider mirrors', async () => {
    const described = buildProvider(readDescription(path.join(ROOT, 'examples/providers', `${adapter.name}.json`)));
    const fake = await adapter.start();
    cleanups.push(() => fake.close());
    const server = { url: fake.baseUrl, apiKey: fake.apiKey };
    const builtin = await syncRig({ engine: 'sqlite', provider: providerNamed(adapter.name)!, server, timeoutMs: 5000 });
    const data = await syncRig({ engine: 'sqlite', provider: described, server, timeoutMs: 5000 });
    cleanups.push(() => builtin.cleanup(), () => data.cleanup());
    for (const round of ['first sync', 'rescan', 'second rescan']) {
      if (round !== 'first sync') {
        fake.addNew(12);
        fake.addLate(3, 90_000);
      }
      await builtin.sync();
      await data.sync();
      const held = await data.events();
      expect(held.map(project(adapter.name)), round).toEqual((await builtin.events()).map(project(adapter.name)));
      expect(sortedEntries(new Map(held.map((e) => [e.id, JSON.parse(e.raw) as unknown]))), round).toEqual(sortedEntries(fake.truth()));
    }
  }, 60_000);
});

describe('blueai as a description, generic envelope', () => {
  it('ends on a short page without has_more, as the built-in does', async () => {
    const { blueaiHistory, startFakeBlueai } = await import('../support/fake-blueai.js');
    const fake = await startFakeBlueai({ envelope: 'pagination' });
    cleanups.push(() => fake.close());
    fake.add(...blueaiHistory(250));
    const described = buildProvider(readDescription(path.join(ROOT, 'examples/providers/blueai.json')));
    const server = { url: fake.url, apiKey: fake.apiKey };
    const builtin = await syncRig({ engine: 'sqlite', provider: providerNamed('blueai')!, server });
    const data = await syncRig({ engine: 'sqlite', provider: described, server });
    cleanups.push(() => builtin.cleanup(), () => data.cleanup());
    await builtin.sync();
    const before = fake.listRequests().length;
    await data.sync();
    expect(fake.listRequests().length - before).toBe(3);
    expect(await data.events()).toEqual(await builtin.events());
    expect(await data.ids()).toHaveLength(250);
  });
});
