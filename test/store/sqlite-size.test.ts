// The SQLite mirror's size (migration 6): a row stores its id and type only when raw does not hold
// them, and updated as its lag behind time. A synced BlueAI mirror stays under twice its events as
// NDJSON, and a mirror of schema 5 upgrades keeping every answer: lists, counts per type, history,
// the change log and search, including events whose id or type raw does not hold as given.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/contract.js';
import type { EventRow, JsonObject } from '../../src/providers/types.js';
import { blueaiEvent } from '../support/generators.mjs';
import { normalized, withText } from '../support/rows.js';
import { T0, collect, filter, newWalk, row, useMirrors } from './contract-support.js';

const blueai = (n: number): EventRow => normalized('blueai', blueaiEvent(n, T0 + n * 1000) as unknown as JsonObject);

/** A JSON object nested `depth` levels: past SQLite's limit, its JSON functions cannot read it. */
function nested(depth: number): JsonObject {
  let inner: JsonObject = { word: 'abyssal' };
  for (let i = 0; i < depth; i++) inner = { in: inner };
  return inner;
}

/** Every answer the upgrade must keep. */
async function answers(store: Store, ids: string[]) {
  return {
    list: await store.query(filter('p')),
    typed: await store.query(filter('p', { types: ['invoice.*', 'seam.thing'] })),
    object: await store.query(filter('p', { object: 'invoice_1' })),
    stats: await store.stats(filter('p'), ['type']),
    statsDay: await store.stats(filter('p', { since: T0 }), ['type', 'day']),
    count: await store.countEvents('p'),
    changes: await store.changesSince('p', 0, 1000),
    history: await Promise.all(ids.map((id) => store.versions('p', id))),
    exported: (await collect(store.exportVersions('p'))).flat(),
    search: await Promise.all(['paid', 'req_3', 'abyssal', 'globex', '"org test"'].map((search) => store.query(filter('p', { search })))),
  };
}

/** Turns a mirror back into schema 5: the events table as it was, every row with its seq. */
function toSchema5(file: string): void {
  const db = new Database(file);
  db.exec(`
    DROP TRIGGER events_fts_delete; DROP TRIGGER events_count_delete;
    CREATE TABLE events_v5 (seq INTEGER PRIMARY KEY, profile_id INTEGER NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL,
      time INTEGER NOT NULL, updated INTEGER NOT NULL, object TEXT, raw TEXT NOT NULL,
      rev INTEGER NOT NULL DEFAULT 0, seen INTEGER NOT NULL DEFAULT 0, UNIQUE (profile_id, id));
    INSERT INTO events_v5 SELECT seq, profile_id, id, type, time, updated, object, raw, rev, seen FROM events;
    DROP TABLE events; ALTER TABLE events_v5 RENAME TO events;
    CREATE INDEX events_by_time ON events (profile_id, time); CREATE INDEX events_by_type ON events (profile_id, type, time);
    CREATE INDEX events_by_object ON events (profile_id, object, time); CREATE INDEX events_by_rev ON events (profile_id, rev);
    CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN DELETE FROM events_fts WHERE rowid = old.seq; END;
    CREATE TRIGGER events_count_delete AFTER DELETE ON events BEGIN
      UPDATE type_counts SET n = n - 1 WHERE profile_id = old.profile_id AND type = old.type; END;
    PRAGMA user_version = 5;`);
  db.close();
}

describe("the SQLite mirror's size", () => {
  const m = useMirrors('sqlite');

  it('upgrades a schema 5 mirror keeping every event, version, revision, count and search entry', async () => {
    const { store, location } = await m.fresh();
    const rows = [
      ...Array.from({ length: 40 }, (_, n) => blueai(n)),
      // Raw that does not hold the id or type as given: another key, a number, a nesting past SQLite's depth.
      withText({ id: 'seam_1', type: 'seam.thing', time: T0 + 5, updated: T0 + 5, object: null, raw: { event_id: 'seam_1', event_type: 'seam.thing', name: 'Globex' } }),
      withText({ id: '77', type: 'number.id', time: T0 + 6, updated: T0 + 9, object: 'o', raw: { id: 77, type: 'number.id' } }),
      withText({ id: 'deep', type: 'deep.one', time: T0 + 7, updated: T0 + 7, object: null, raw: { id: 'deep', type: 'deep.one', body: nested(1100) } }),
      row('other', { type: 'other.type', time: T0 + 8, raw: { id: 'not-other', type: 'not-other.type' } }),
    ];
    await store.putEvents('p', 'blueai', rows);
    // Changes kept as versions: a later updated time (Close consolidates), and a change of type.
    await store.putEvents('p', 'blueai', [
      withText({ ...blueai(3), updated: T0 + 99_000, raw: { ...(blueai(3).raw as JsonObject), request_id: 'req_changed' } }),
      withText({ id: 'seam_1', type: 'seam.other', time: T0 + 5, updated: T0 + 50, object: null, raw: { event_id: 'seam_1', event_type: 'seam.other' } }),
    ]);
    const ids = rows.map((r) => r.id);
    const before = await answers(store, ids);
    await m.close(store);

    toSchema5(location);
    // The command says so before the upgrade starts (a large mirror takes minutes), once.
    const told: string[] = [];
    const upgraded = await m.open(location, { onUpgrade: (line) => told.push(line) });
    expect(told).toEqual([`upgrading the mirror ${location} from schema 5 to 6: a large mirror takes minutes (interrupted, it stays as it was)`]);
    expect(await answers(upgraded, ids)).toEqual(before);
    // And it takes changes as before: a new version of an upgraded row, found by its new words.
    const changed = withText({ ...blueai(5), updated: T0 + 77_000, raw: { ...(blueai(5).raw as JsonObject), request_id: 'req_upgraded' } });
    expect(await upgraded.putEvents('p', 'blueai', [changed])).toEqual(['updated']);
    expect((await upgraded.versions('p', changed.id)).map((v) => v.updated)).toEqual([T0 + 5000, T0 + 77_000]);
    expect((await upgraded.query(filter('p', { search: 'req_upgraded' }))).map((e) => [e.id, e.type, e.updated])).toEqual([[changed.id, changed.type, T0 + 77_000]]);
    await m.close(upgraded);
    await m.close(await m.open(location, { onUpgrade: (line) => told.push(line) }));
    expect(told).toHaveLength(1);
    // The BlueAI rows store neither id nor type; the others keep what raw does not say. (Raw's
    // number 77 reads as the text '77' in the column, the same both ways: the upgrade derives it.)
    const db = new Database(location, { readonly: true });
    const kept = db.prepare('SELECT stored_id AS id, stored_type AS type, updated_lag AS lag FROM events WHERE stored_id IS NOT NULL OR stored_type IS NOT NULL ORDER BY seq').all();
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    db.close();
    expect(kept).toEqual([
      { id: 'seam_1', type: 'seam.other', lag: 45 },
      { id: 'deep', type: 'deep.one', lag: 0 },
      { id: 'other', type: 'other.type', lag: 0 },
    ]);
  });

  it('keeps a synced BlueAI mirror under twice its events as NDJSON', async () => {
    const { store, location } = await m.fresh();
    const N = 20_000;
    const PAGE = 100;
    // As a sync writes: pages of 100, newest first, ten pages a transaction (a quarter second's).
    const events = Array.from({ length: N }, (_, n) => blueai(N - 1 - n));
    const walk = await store.createWalk('p', newWalk());
    for (let i = 0; i < N; i += 10 * PAGE) {
      const pages = Array.from({ length: 10 }, (_, k) => ({ rows: events.slice(i + k * PAGE, i + (k + 1) * PAGE) }));
      await store.commitPages({ profile: 'p', provider: 'blueai', walk: { ...walk, pages: 0, fetched: 0 }, pages, done: false });
    }
    await m.close(store);
    const ndjson = events.reduce((sum, e) => sum + Buffer.byteLength(e.text) + 1, 0);
    const db = new Database(location, { readonly: true });
    const { bytes } = db.prepare('SELECT sum(pgsize) AS bytes FROM dbstat').get() as { bytes: number };
    const { n } = db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
    db.close();
    expect(n).toBe(N);
    expect(bytes / ndjson).toBeLessThan(2);
  });
});
