// Running the sync engine in-process against a fake: a temp mirror on either engine (a SQLite file,
// or a fresh schema on the run's PostgreSQL), a quick client, helpers to compare the mirror with
// what the server serves.
import { ApiClient, type ClientOptions } from '../../src/http/client.js';
import type { EventFilter, StoredEvent, Store } from '../../src/store/contract.js';
import { openStore } from '../../src/store/open.js';
import { syncProfile, type SyncOptions } from '../../src/sync/engine.js';
import type { Provider } from '../../src/providers/types.js';
import { tempHome } from './cli.js';
import { freshPgMirror } from './pg.js';
import type { Engine } from './engines.js';


/** Client options a test may override; undefined values keep the rig's defaults. */
export type ClientOverrides = { [K in keyof ClientOptions]?: ClientOptions[K] | undefined };

export interface SyncRig {
  engine: Engine;
  store: Store;
  profile: string;
  /** A client for the server; `retries` and `timeoutMs` default to the rig's. */
  client: (over?: ClientOverrides) => ApiClient;
  /** One sync of the profile; without `client`, a new one with `retries` and `signal` applied. */
  sync: (over?: Partial<SyncOptions> & { retries?: number }) => ReturnType<typeof syncProfile>;
  /** Every event of the profile, newest first (store.query). */
  events: () => Promise<StoredEvent[]>;
  /** Every event of the profile read through store.stream, in the same order. */
  streamed: () => Promise<StoredEvent[]>;
  /** The profile's event ids, sorted. */
  ids: () => Promise<string[]>;
  cleanup: () => Promise<void>;
}

export interface SyncRigOptions {
  engine: Engine;
  provider: Provider;
  server: { url: string; apiKey: string };
  profile?: string;
  retries?: number;
  timeoutMs?: number;
}

/** The filter that matches every event of `profile`. */
export const everything = (profile: string): EventFilter => ({ profile, types: [], where: [] });

/** A fresh, empty mirror on `engine` and how to remove it (after closing the store). */
export async function freshStore(engine: Engine): Promise<{ store: Store; remove: () => Promise<void> }> {
  if (engine === 'sqlite') {
    const home = tempHome();
    try {
      return { store: await openStore(home.db), remove: async () => home.cleanup() };
    } catch (err) {
      home.cleanup();
      throw err;
    }
  }
  const pg = await freshPgMirror();
  try {
    return { store: await openStore(pg.url), remove: () => pg.drop() };
  } catch (err) {
    await pg.drop();
    throw err;
  }
}

export async function syncRig(options: SyncRigOptions): Promise<SyncRig> {
  const { engine, provider, server } = options;
  const profile = options.profile ?? 'test';
  const { store, remove } = await freshStore(engine);
  const defined = <T extends object>(o: T): Partial<T> =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const client = (over: ClientOverrides = {}) =>
    new ApiClient({
      provider,
      baseUrl: server.url,
      apiKey: server.apiKey,
      profileName: profile,
      retries: options.retries ?? 2,
      timeoutMs: options.timeoutMs ?? 1000,
      ...(defined(over) as Partial<ClientOptions>),
    });
  const events = () => store.query(everything(profile));
  const streamed = async () => {
    const all: StoredEvent[] = [];
    for await (const e of store.stream(everything(profile))) all.push(e);
    return all;
  };
  let closed = false;
  return {
    engine,
    store,
    profile,
    client,
    sync: ({ retries, ...over } = {}) =>
      syncProfile({ store, profile, provider, client: over.client ?? client({ retries, signal: over.signal }), ...over }),
    events,
    streamed,
    ids: async () => (await events()).map((e) => e.id).sort(),
    cleanup: async () => {
      if (closed) return;
      closed = true;
      try {
        await store.close();
      } finally {
        await remove();
      }
    },
  };
}
