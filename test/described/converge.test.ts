// Each test server of a style no built-in provider uses, mirrored through its description file
// only (`events provider add`, then a profile naming the described provider): the first sync, then
// new and late events (and rewritten ones, where the API rewrites), converge to exactly what the
// API serves, on both engines.
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, engineHome, inspectMirror, runEvents } from '../support/cli.js';
import { ENGINES } from '../support/engines.js';
import { sortedEntries } from '../faults/providers.js';
import { DESCRIPTIONS, describedAdapters } from './adapters.js';

const cleanups = cleanupAfterEach();

describe.each(ENGINES)('%s mirror', (engine) =>
  describe.each(describedAdapters)('$name, described', (adapter) => {
    it('converges exactly through a saved description and a profile', async () => {
      const fake = await adapter.start();
      cleanups.push(() => fake.close());
      const h = await engineHome(engine);
      cleanups.push(h.cleanup);
      const env = { EVENTS_DB: h.db, EVENTS_CONFIG_DIR: h.configDir, THE_KEY: fake.apiKey };
      const added = await runEvents(['provider', 'add', DESCRIPTIONS[adapter.name]!], env);
      expect(added.code, added.stderr).toBe(0);
      expect(added.stderr).toContain(`saved provider "${adapter.name}"`);
      const profile = await runEvents(['profile', 'add', 'acct', '--provider', adapter.name, '--base-url', fake.baseUrl, '--api-key-env', 'THE_KEY'], env);
      expect(profile.code, profile.stderr).toBe(0);

      const converged = async (what: string) => {
        const r = await runEvents(['sync'], env);
        expect(r.code, `${what}: ${r.stderr}`).toBe(0);
        const mirror = await inspectMirror(h.db);
        expect(mirror.integrity, what).toBe('ok');
        expect(mirror.rows, what).toBe(mirror.distinct);
        expect(sortedEntries(mirror.events), what).toEqual(sortedEntries(fake.truth()));
      };
      await converged('first sync');
      for (let round = 0; round < 3; round++) {
        fake.addNew(7 + round);
        fake.addLate(2, 45_000 + round * 20_000);
        await converged(`round ${round}`);
      }

      // status knows the provider: its retention (from the description) and a complete mirror.
      const status = await runEvents(['status', '-o', 'json'], env);
      expect(status.code, status.stderr).toBe(0);
      const retention = { stripe: 30, 'github-audit': 180, feed: null }[adapter.name as 'stripe'];
      expect(JSON.parse(status.stdout)).toMatchObject([{ profile: 'acct', provider: adapter.name, events: fake.truth().size, retentionDays: retention, holes: [] }]);

      // The mirror answers as for any provider: newest first, types and times read per the description.
      const listed = await runEvents(['list', '--offline', '--limit', '3', '-o', 'ndjson'], env);
      expect(listed.code, listed.stderr).toBe(0);
      const newest = [...fake.truth().values()].map((raw) => JSON.stringify(raw));
      const lines = listed.stdout.trim().split('\n');
      expect(lines).toHaveLength(3);
      for (const line of lines) expect(newest).toContain(line);
    }, 90_000);
  }),
);
