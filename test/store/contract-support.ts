// Shared pieces of the store contract suite (test/store/contract-*.test.ts): a fresh mirror per
// test on either engine (a temp SQLite file, a fresh PostgreSQL schema), row builders and polling.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import type { Change, EventFilter, StoredEvent, Store, Walk } from '../../src/store/contract.js';
import { openStore, type OpenOptions } from '../../src/store/open.js';
import type { EventRow, JsonObject } from '../../src/providers/types.js';
import { freshPgMirror } from '../support/pg.js';
import type { Engine } from '../support/engines.js';
import { withText } from '../support/rows.js';

export interface Mirrors {
  /** A new, empty mirror location of the engine (nothing is created until a store opens it). */
  location(engine?: Engine): Promise<string>;
  /** Opens a store at `location`; it is closed after the test unless closed through `close`. */
  open(location: string, options?: OpenOptions): Promise<Store>;
  /** A fresh mirror, opened. */
  fresh(engine?: Engine): Promise<{ store: Store; location: string }>;
  /** Closes a store opened here (once). */
  close(store: Store): Promise<void>;
}

/** Fresh mirrors of `engine` for each test, removed (stores closed, files and schemas gone) after it. */
export function useMirrors(engine: Engine): Mirrors {
  const cleanups: Array<() => unknown> = [];
  const open = new Set<Store>();
  afterEach(async () => {
    for (const store of [...open].reverse()) await store.close().catch(() => {});
    open.clear();
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const location = async (which: Engine = engine): Promise<string> => {
    if (which === 'sqlite') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-contract-'));
      cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
      return path.join(dir, 'mirror.db');
    }
    const pg = await freshPgMirror();
    cleanups.push(() => pg.drop());
    return pg.url;
  };
  const mirrors: Mirrors = {
    location,
    async open(where, options) {
      const store = await openStore(where, options);
      open.add(store);
      return store;
    },
    async fresh(which = engine) {
      const where = await location(which);
      return { store: await mirrors.open(where), location: where };
    },
    async close(store) {
      if (!open.delete(store)) return;
      await store.close();
    },
  };
  return mirrors;
}

export interface RowOptions {
  type?: string;
  time?: number;
  updated?: number;
  object?: string | null;
  raw?: JsonObject;
}

/** 2026-01-01T00:00:00Z in epoch ms: times in the suite are real ones, beyond 32 bits. */
export const T0 = 1_767_225_600_000;

/** An event row (time T0 unless given); its raw is `{id, type, at}` unless `raw` is given. */
export function row(id: string, o: RowOptions = {}): EventRow {
  const type = o.type ?? 'thing.happened';
  const time = o.time ?? T0;
  return withText({ id, type, time, updated: o.updated ?? time, object: o.object ?? null, raw: o.raw ?? { id, type, at: time } });
}

/** What a query returns for a row written as `r`. */
export function stored(r: EventRow): StoredEvent {
  return { id: r.id, type: r.type, time: r.time, updated: r.updated, object: r.object, raw: JSON.stringify(r.raw) };
}

/** A filter over one profile: everything, narrowed by `f`. */
export function filter(profile: string, f: Partial<Omit<EventFilter, 'profile'>> = {}): EventFilter {
  return { profile, types: [], where: [], ...f };
}

/** The fields of a new walk; `createWalk` gives it an id. */
export function newWalk(o: Partial<Omit<Walk, 'walkId'>> = {}): Omit<Walk, 'walkId'> {
  return {
    kind: 'backfill',
    upper: T0 + 10_000,
    floor: null,
    next: { method: 'GET', path: '/v1/events', query: { limit: 100 } },
    reached: null,
    pages: 0,
    fetched: 0,
    started: T0 + 20_000,
    ...o,
  };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Resolves once `predicate` holds, polling; rejects with `what` after `timeoutMs`. */
export async function waitUntil(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const ids = (events: Array<{ id: string }>): string[] => events.map((e) => e.id);

/** The two ways rows enter a mirror outside a copy: a walk's commit, and `get` storing one. */
export const WRITERS = ['putEvents', 'commitPages'] as const;
export type Writer = (typeof WRITERS)[number];

/** Writes `rows` as one page of a new walk (commitPages) or with putEvents; what each row did. */
export async function write(store: Store, via: Writer, profile: string, rows: EventRow[], provider = 'close'): Promise<Change[]> {
  if (via === 'putEvents') return store.putEvents(profile, provider, rows);
  const walk = await store.createWalk(profile, newWalk());
  const changes = await store.commitPages({
    profile,
    provider,
    walk: { ...walk, pages: 1, fetched: rows.length },
    pages: [{ rows }],
    done: false,
  });
  expect(changes).toHaveLength(1);
  return changes[0]!;
}
