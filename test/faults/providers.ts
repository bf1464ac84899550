// One small adapter per provider, so the fault suite runs the same scenarios over all four fakes:
// how to start the fake with a seed-driven fault plan and a modest history, the environment the
// binary needs, the ground truth (every event the API serves), how to add new and late events,
// and how many list requests the fake has answered.
import Database from 'better-sqlite3';
import type { ProviderName } from '../../src/providers/types.js';
import { bemEvent, startFakeBem } from '../support/fake-bem.js';
import { blueaiEvent, startFakeBlueai } from '../support/fake-blueai.js';
import { closeEvent, closeHistory, startFakeClose } from '../support/fake-close.js';
import { seededRandom, type Fault, type FaultPlan, type FakeRequest, type FakeServer } from '../support/fake-server.js';
import { seamEvent, startFakeSeam } from '../support/fake-seam.js';

export interface StartOptions {
  faults?: FaultPlan;
  /** How long a 'slow' fault holds its answer: longer than the client's --timeout. */
  slowMs?: number;
  /** A delay before each list answer, so a kill lands in the middle of a walk. */
  latencyMs?: number;
  /** Events served from the start (default: the adapter's `history`). */
  history?: number;
}

/** A running fake, seen the same way whatever the provider. */
export interface Fake {
  provider: ProviderName;
  /** The base URL a profile uses (Close lives under /api/v1). */
  baseUrl: string;
  apiKey: string;
  setFaults(plan: FaultPlan | undefined): void;
  /** List requests answered so far, faulted or not. */
  listRequests(): number;
  /** Each list request's parameters, for messages when a walk is longer than expected. */
  listLog(): string[];
  /** Every event the API serves now, as raw JSON keyed by id: the ground truth. */
  truth(): Map<string, unknown>;
  /** `n` events created now. */
  addNew(n: number): void;
  /** `n` events that become visible only now, dated `behindMs` before the newest (inside the overlap). */
  addLate(n: number, behindMs: number): void;
  close(): Promise<void>;
}

export interface Adapter {
  name: ProviderName;
  /** Events per page of a sync walk. */
  pageSize: number;
  /** A modest history: a handful of pages. */
  history: number;
  start(options?: StartOptions): Promise<Fake>;
  /** The strings that carry the key on the wire and must never be printed. */
  secretForms(apiKey: string): string[];
}

/** History events are a minute apart: hours of history, a few events inside the five-minute overlap. */
const STEP_MS = 60_000;
/** The newest history event is this old when the fake starts. */
const HEAD_AGE_MS = 30_000;

/** `count` history times (ms), a minute apart, oldest first, the newest a little before now. */
export function historyTimes(count: number): number[] {
  const end = Date.now() - HEAD_AGE_MS;
  return Array.from({ length: count }, (_, i) => end - (count - 1 - i) * STEP_MS);
}

/** An adapter; `start` gets the history to serve (the adapter's own unless the options say). The key alone is on the wire unless `secretForms` says more. */
export function adapter(a: Omit<Adapter, 'start' | 'secretForms'> & Partial<Pick<Adapter, 'secretForms'>>, start: (o: StartOptions, count: number) => Promise<Fake>): Adapter {
  return { secretForms: (key) => [key], ...a, start: (o = {}) => start(o, o.history ?? a.history) };
}

/** What a Fake reads of a running fake server (Seam's lists are bodies: it gives its own counts). */
type Served<E> = FakeServer & { apiKey: string; events(): E[]; listRequests?(): FakeRequest[] };

/** The Fake of a running server: what every server has alike, the truth keyed by `idOf`, and `own` ways to add events. */
export function fakeOf<E>(provider: ProviderName, server: Served<E>, idOf: (e: E) => string, own: Pick<Fake, 'addNew' | 'addLate'> & Partial<Fake>): Fake {
  const requests = () => server.listRequests?.() ?? [];
  return {
    provider,
    baseUrl: server.url,
    apiKey: server.apiKey,
    setFaults: (p) => server.setFaults(p),
    listRequests: () => requests().length,
    listLog: () => requests().map((r) => r.query.toString()),
    truth: () => new Map(server.events().map((e) => [idOf(e), e])),
    close: () => server.close(),
    ...own,
  };
}

export const adapters: Adapter[] = [
  adapter({ name: 'blueai', pageSize: 100, history: 450 }, async (o, count) => {
    const fake = await startFakeBlueai({ faults: o.faults, slowMs: o.slowMs, latencyMs: o.latencyMs });
    let n = 0;
    const make = (time: number) => blueaiEvent(n++, time);
    fake.add(...historyTimes(count).map((t) => make(t)));
    return fakeOf('blueai', fake, (e) => e.id, {
      addNew: (k) => fake.add(...Array.from({ length: k }, (_, i) => make(Date.now() - i * 1000))),
      addLate: (k, behind) => {
        const head = Date.parse(fake.events()[0]!.created_at);
        fake.add(...Array.from({ length: k }, (_, i) => make(head - behind - i * 1000)));
      },
    });
  }),
  adapter({ name: 'bem', pageSize: 100, history: 450 }, async (o, count) => {
    const fake = await startFakeBem({ faults: o.faults, slowMs: o.slowMs, delayMs: o.latencyMs });
    fake.addHistory(count, { end: Date.now() - HEAD_AGE_MS, stepMs: STEP_MS });
    let n = 1_000_000;
    return fakeOf('bem', fake, (e) => e.eventID, {
      addNew: (k) => void fake.addNew(k),
      addLate: (k, behind) => {
        const head = Math.max(...fake.events().map((e) => Date.parse(e.createdAt ?? '')).filter(Number.isFinite));
        fake.add(...Array.from({ length: k }, (_, i) => bemEvent(n++, head - behind - i * 1000)));
      },
    });
  }),
  adapter({ name: 'close', pageSize: 50, history: 230, secretForms: (key) => [key, Buffer.from(`${key}:`).toString('base64')] }, async (o, count) => {
    const fake = await startFakeClose({ faults: o.faults, slowMs: o.slowMs, delayMs: o.latencyMs });
    fake.add(...closeHistory(count, Date.now() - HEAD_AGE_MS, STEP_MS));
    let n = count;
    return fakeOf('close', fake, (e) => e.id, {
      baseUrl: fake.baseUrl,
      addNew: (k) => fake.add(...Array.from({ length: k }, () => closeEvent(n++, Date.now()))),
      addLate: (k, behind) => {
        for (let i = 0; i < k; i++) fake.addLate(n++, behind + i * 1000);
        // Close's own kind of lateness: an old event consolidated now moves to the head.
        fake.consolidate(fake.events().at(-1)!.id);
      },
    });
  }),
  adapter({ name: 'seam', pageSize: 500, history: 1200 }, async (o, count) => {
    const fake = await startFakeSeam({ faults: o.faults, slowMs: o.slowMs, latencyMs: o.latencyMs });
    // Microsecond times, as Seam sends them.
    fake.add(...historyTimes(count).map((t, i) => seamEvent(i, t * 1000 + (i % 7))));
    let n = count;
    const newest = () => Math.max(...fake.events().map((e) => Date.parse(e.created_at)));
    return fakeOf('seam', fake, (e) => e.event_id, {
      listRequests: () => fake.listBodies().length,
      listLog: () => fake.listBodies().map((b) => JSON.stringify({ ...b, state: undefined })),
      addNew: (k) => fake.add(...Array.from({ length: k }, (_, i) => seamEvent(n++, (Date.now() - i * 1000) * 1000 + 321))),
      addLate: (k, behind) => {
        const head = newest();
        fake.add(...Array.from({ length: k }, (_, i) => seamEvent(n++, (head - behind - i * 1000) * 1000 + 654)));
      },
    });
  }),
];

/** The seed of this run: FAULT_SEED replays one; otherwise a fresh one, printed in test names. */
export function runSeed(): number {
  const given = process.env.FAULT_SEED;
  if (given !== undefined && given !== '') return Number(given) >>> 0;
  return Math.floor(Math.random() * 2 ** 31);
}

/** A provider's own seed within a run, so each provider's plan is replayable on its own. */
export function providerSeed(seed: number, provider: ProviderName): number {
  return (seed + ['blueai', 'bem', 'close', 'seam'].indexOf(provider) * 7919) >>> 0;
}

/** A plan that lets the first `clean` list requests through and faults every one after it. */
export function alwaysAfter(clean: number, kinds: Fault[], seed: number): FaultPlan {
  const rnd = seededRandom(seed);
  let seen = 0;
  return () => (seen++ < clean ? undefined : kinds[Math.floor(rnd() * kinds.length)]);
}

/** The environment of the binary for a fake and a temp home. */
export function envFor(fake: Fake, home: { db: string; configDir: string }, extra: Record<string, string> = {}): Record<string, string> {
  return {
    EVENTS_PROVIDER: fake.provider,
    EVENTS_API_KEY: fake.apiKey,
    EVENTS_BASE_URL: fake.baseUrl,
    EVENTS_DB: home.db,
    EVENTS_CONFIG_DIR: home.configDir,
    ...extra,
  };
}

export interface MirrorState {
  /** Raw events keyed by id, as the mirror holds them. */
  events: Map<string, unknown>;
  /** Rows in the table (a duplicate would make it exceed the number of distinct ids). */
  rows: number;
  distinct: number;
  integrity: string;
}

/** Reads a mirror file read-only, as a separate connection would. */
export function readMirror(file: string): MirrorState {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT id, raw FROM events').all() as Array<{ id: string; raw: string }>;
    const distinct = (db.prepare('SELECT count(DISTINCT profile_id || char(0) || id) AS n FROM events').get() as { n: number }).n;
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    return { events: new Map(rows.map((r) => [r.id, JSON.parse(r.raw) as unknown])), rows: rows.length, distinct, integrity };
  } finally {
    db.close();
  }
}

/** Sorted [id, raw] pairs, for a readable toEqual between the mirror and the truth. */
export function sortedEntries(map: Map<string, unknown>): Array<[string, unknown]> {
  return [...map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
