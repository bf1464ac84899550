// The mirror on real SQLite files: upserts (newer wins), filtered queries taken literally,
// coverage merging, and refusing files that are not a mirror.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openMirror, type Db } from '../../src/store/db.js';
import { getEvent, upsertEvents } from '../../src/store/events.js';
import { countMatching, queryEvents } from '../../src/store/query.js';
import { addCoverage, coverage, mergeRanges } from '../../src/store/sync-state.js';
import { tryLock, unlock } from '../../src/store/lock.js';
import type { EventRow } from '../../src/providers/types.js';
import { tempHome } from '../support/cli.js';

const row = (id: string, type: string, time: number, extra: Record<string, unknown> = {}): EventRow => ({
  id,
  type,
  time,
  updated: (extra.updated as number) ?? time,
  object: (extra.object as string) ?? null,
  raw: { id, type, at: time, ...(extra.raw as object) } as EventRow['raw'],
});

describe('mirror store', () => {
  const homes: Array<ReturnType<typeof tempHome>> = [];
  const open = (): { db: Db; file: string } => {
    const h = tempHome();
    homes.push(h);
    return { db: openMirror(h.db), file: h.db };
  };
  afterEach(() => homes.splice(0).forEach((h) => h.cleanup()));

  it('upserts by (profile, id), keeping the newer updated time', () => {
    const { db } = open();
    expect(upsertEvents(db, 'p', [row('a', 't', 1), row('b', 't', 2)])).toEqual(['new', 'new']);
    expect(upsertEvents(db, 'p', [row('a', 't', 1)])).toEqual(['same']);
    expect(upsertEvents(db, 'p', [row('a', 't', 1, { updated: 5, raw: { v: 2 } })])).toEqual(['updated']);
    expect(upsertEvents(db, 'p', [row('a', 't', 1, { updated: 3, raw: { v: 1 } })])).toEqual(['same']);
    expect(JSON.parse(getEvent(db, 'p', 'a')!.raw).v).toBe(2);
    expect(upsertEvents(db, 'other', [row('a', 't', 1)])).toEqual(['new']);
    expect(countMatching(db, { profile: 'p', types: [], where: [] })).toBe(2);
  });

  it('filters by exact types, prefix patterns, time, object and JSON paths, newest first', () => {
    const { db } = open();
    upsertEvents(db, 'p', [
      row('1', 'invoice.paid', 100, { object: 'inv_1', raw: { data: { status: 'paid', amount: 100, ok: true } } }),
      row('2', 'invoice.created', 200, { object: 'inv_2', raw: { data: { status: 'draft' } } }),
      row('3', 'invoicex.created', 300),
      row('4', 'crm.deal.created', 400, { raw: { lead_id: 'lead_1' } }),
    ]);
    const ids = (f: Partial<Parameters<typeof queryEvents>[1]>) =>
      queryEvents(db, { profile: 'p', types: [], where: [], ...f }).map((e) => e.id);
    expect(ids({})).toEqual(['4', '3', '2', '1']);
    expect(ids({ types: ['invoice.*'] })).toEqual(['2', '1']);
    expect(ids({ types: ['invoice.paid', 'crm.*'] })).toEqual(['4', '1']);
    expect(ids({ since: 200, until: 300 })).toEqual(['3', '2']);
    expect(ids({ object: 'inv_2' })).toEqual(['2']);
    expect(ids({ where: [{ path: 'data.status', value: 'paid' }] })).toEqual(['1']);
    expect(ids({ where: [{ path: 'data.amount', value: '100' }] })).toEqual(['1']);
    expect(ids({ where: [{ path: 'data.ok', value: 'true' }] })).toEqual(['1']);
    expect(ids({ where: [{ path: 'lead_id', value: 'lead_1' }] })).toEqual(['4']);
    expect(queryEvents(db, { profile: 'p', types: [], where: [] }, 2).map((e) => e.id)).toEqual(['4', '3']);
  });

  it('takes quotes, %, _, ; and SQL in values literally', () => {
    const { db } = open();
    const nasty = `x'; DROP TABLE events; --%_"`;
    upsertEvents(db, 'p', [row('1', nasty, 1, { object: nasty, raw: { note: nasty } }), row('2', 'plain', 2)]);
    const q = (f: Partial<Parameters<typeof queryEvents>[1]>) => queryEvents(db, { profile: 'p', types: [], where: [], ...f }).map((e) => e.id);
    expect(q({ types: [nasty] })).toEqual(['1']);
    expect(q({ types: ['%'] })).toEqual([]);
    expect(q({ types: ["x'*"] })).toEqual(['1']);
    expect(q({ object: nasty })).toEqual(['1']);
    expect(q({ where: [{ path: 'note', value: nasty }] })).toEqual(['1']);
    expect(q({ where: [{ path: `no"te`, value: 'x' }] })).toEqual([]);
    expect(countMatching(db, { profile: 'p', types: [], where: [] })).toBe(2);
  });

  it('merges covered ranges, with an open lower end for "everything"', () => {
    expect(mergeRanges([{ lo: 10, hi: 20 }, { lo: 15, hi: 30 }, { lo: 40, hi: 50 }])).toEqual([{ lo: 40, hi: 50 }, { lo: 10, hi: 30 }]);
    const { db } = open();
    addCoverage(db, 'p', { lo: null, hi: 100 });
    addCoverage(db, 'p', { lo: 95, hi: 200 });
    expect(coverage(db, 'p')).toEqual([{ lo: null, hi: 200 }]);
  });

  it('lets one process hold a profile lock and takes over a dead holder', () => {
    const { db } = open();
    expect(tryLock(db, 'p', process.pid).ok).toBe(true);
    expect(tryLock(db, 'p', process.ppid)).toEqual({ ok: false, holder: process.pid });
    unlock(db, 'p', process.pid);
    db.prepare('INSERT OR REPLACE INTO locks (profile, pid, since) VALUES (?, ?, ?)').run('p', 2 ** 22 + 12345, 0);
    expect(tryLock(db, 'p', process.pid).ok).toBe(true);
  });

  it('refuses a file that is not a mirror, leaving it untouched', () => {
    const h = tempHome();
    homes.push(h);
    fs.writeFileSync(h.db, 'this is my thesis, not a database');
    expect(() => openMirror(h.db)).toThrow(/not an SQLite database/);
    expect(fs.readFileSync(h.db, 'utf8')).toBe('this is my thesis, not a database');
  });

  it('refuses another SQLite database and one from a newer version', () => {
    const { db, file } = open();
    db.pragma('user_version = 99');
    db.close();
    expect(() => openMirror(file)).toThrow(/newer version of events/);
  });
});
