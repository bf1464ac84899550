// Every event kept exactly as served, for each provider and both engines: a loopback fake serves,
// beside ordinary events, events whose JSON text holds numbers JavaScript would round
// (12345678901234567890, 0.10000000000000000555, 1e400), nesting 10,000 levels deep, and a \u0000
// and a lone surrogate escape. The real binary syncs them (exit 0), then get, list, export and
// import give back the same bytes, and replay signs those bytes (verified by an independent library).
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/providers/registry.js';
import type { JsonObject, BuiltinName } from '../../src/providers/types.js';
import { binaryFor, cleanupAfterEach, engineHome, runEvents } from '../support/cli.js';
import { SECRETS } from '../support/deliver.js';
import { bemEvent, startFakeBem } from '../support/fake-bem.js';
import { blueaiEvent, startFakeBlueai } from '../support/fake-blueai.js';
import { closeEvent, startFakeClose } from '../support/fake-close.js';
import { seamEvent, startFakeSeam } from '../support/fake-seam.js';
import { rawJson, served } from '../support/fake-server.js';
import { ENGINES, type Engine } from '../support/engines.js';
import { startReceiver } from '../support/receiver.js';
import { verifyRequest } from '../support/verify.js';

const cleanups = cleanupAfterEach();
const DEPTH = 10_000;

/** A fake of `provider` serving `count` ordinary events and the awkward ones, all in the last hour. */
async function fakeWith(provider: BuiltinName) {
  const base = Date.now() - 30 * 60_000;
  const make = (n: number, extra: Record<string, unknown> = {}): JsonObject => {
    const t = base + n * 60_000;
    const e = provider === 'close' ? closeEvent(n, t) : provider === 'seam' ? seamEvent(n, t * 1000) : provider === 'bem' ? bemEvent(n, t) : blueaiEvent(n, t);
    return { ...e, ...extra } as unknown as JsonObject;
  };
  const numbers = make(3, { amounts: rawJson('{"big":12345678901234567890,"tiny":0.10000000000000000555,"huge":1e400,"neg":-0.0e-0}') });
  const deep = make(4, { nested: rawJson(`${'['.repeat(DEPTH)}"bottom"${']'.repeat(DEPTH)}`) });
  const awkward = make(5, { note: rawJson('"nul \\u0000 lone \\ud800 \\/ \\u00e9 end"') });
  const events = [make(0), make(1), make(2), numbers, deep, awkward];
  const fake =
    provider === 'close' ? await startFakeClose() : provider === 'seam' ? await startFakeSeam() : provider === 'bem' ? await startFakeBem() : await startFakeBlueai();
  cleanups.push(() => fake.close());
  (fake.add as (...e: unknown[]) => unknown)(...events);
  const id = (e: JsonObject) => PROVIDERS[provider].normalize(e).id;
  // Close's base URL carries the /api/v1 prefix (docs/cli.md).
  const server = { apiKey: fake.apiKey, url: 'baseUrl' in fake ? fake.baseUrl : fake.url };
  return { server, events, special: { numbers, deep, awkward }, id };
}

const ndjson = (text: string) => text.split('\n').filter((l) => l !== '');

describe.each(ENGINES)('events kept exactly as served (%s)', (engine: Engine) => {
  describe.each(['blueai', 'bem', 'close', 'seam'] as const)('%s', (provider) => {
    it('syncs every event, and get, list, export, import and replay carry its text byte for byte', async () => {
      const { server, events, special, id } = await fakeWith(provider);
      const { run, env } = await binaryFor(provider, server, cleanups, engine);
      const sync = await run(['sync']);
      expect(sync.code, sync.stderr).toBe(0);
      // The deep event is named once: --where cannot look inside it in every engine.
      expect(sync.stderr).toContain(`event "${id(special.deep)}" is stored as served`);

      for (const e of Object.values(special)) {
        const got = await run(['get', id(e), '--offline', '-o', 'json']);
        expect(got.code, got.stderr).toBe(0);
        // Compared as booleans: a failure must not print ten thousand brackets.
        expect(got.stdout === `${served(e)}\n`, `get ${id(e)}`).toBe(true);
      }
      expect((await run(['get', id(special.numbers), '--offline', '-o', 'json'])).stdout).toContain('"big":12345678901234567890,"tiny":0.10000000000000000555,"huge":1e400');

      const listed = await run(['list', '--all', '--offline', '-o', 'ndjson']);
      expect(listed.code, listed.stderr).toBe(0);
      expect(ndjson(listed.stdout).sort().join('\n') === events.map(served).sort().join('\n'), 'list -o ndjson').toBe(true);

      const table = await run(['list', '--all', '--offline', '-o', 'table']);
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toContain(id(special.deep).slice(0, 12));

      const exported = await run(['export']);
      expect(exported.code, exported.stderr).toBe(0);
      const lines = ndjson(exported.stdout);
      for (const e of events) expect(lines.some((l) => l.endsWith(`,"event":${served(e)}}`)), `export ${id(e)}`).toBe(true);

      // Into a fresh mirror of the same engine: the same bytes come back out.
      const other = await engineHome(engine);
      cleanups.push(other.cleanup);
      const imported = await runEvents(['import'], { EVENTS_DB: other.db, EVENTS_CONFIG_DIR: other.configDir }, exported.stdout);
      expect(imported.code, imported.stderr).toBe(0);
      const profile = (JSON.parse(lines[0]!) as { profile: string }).profile;
      const back = await runEvents(['export', '--profile', profile], { EVENTS_DB: other.db, EVENTS_CONFIG_DIR: other.configDir });
      expect(back.code, back.stderr).toBe(0);
      expect(ndjson(back.stdout).sort().join('\n') === [...lines].sort().join('\n'), 'export after import').toBe(true);

      const rx = await startReceiver();
      cleanups.push(() => rx.close());
      const replay = await runEvents(['replay', '--to', rx.url, '--secret-env', 'WEBHOOK_SECRET', '--subscription-id', 'whsub_x'], { ...env(), WEBHOOK_SECRET: SECRETS[provider] });
      expect(replay.code, replay.stderr).toBe(0);
      expect(rx.requests).toHaveLength(events.length);
      const bodies = rx.requests.map((req) => {
        expect(() => verifyRequest(provider, SECRETS[provider], req.headers, req.body)).not.toThrow();
        return req.body;
      });
      for (const e of Object.values(special)) {
        const body = provider === 'close' ? `{"event":${served(e)},"subscription_id":"whsub_x"}` : served(e);
        expect(bodies.includes(body), `replay ${id(e)}`).toBe(true);
      }
    });
  });
});
