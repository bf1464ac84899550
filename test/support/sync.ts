// Running the sync engine in-process against a fake: a temp mirror, a quick client, helpers to
// compare the mirror with what the server serves.
import { ApiClient } from '../../src/http/client.js';
import { openMirror, type Db } from '../../src/store/db.js';
import { queryEvents } from '../../src/store/query.js';
import { syncProfile, type SyncOptions } from '../../src/sync/engine.js';
import type { Provider } from '../../src/providers/types.js';
import { tempHome } from './cli.js';

export interface SyncRig {
  db: Db;
  client: (options?: { retries?: number; timeoutMs?: number; signal?: AbortSignal }) => ApiClient;
  sync: (options?: Partial<SyncOptions> & { retries?: number }) => ReturnType<typeof syncProfile>;
  ids: () => string[];
  cleanup: () => void;
}

export function syncRig(provider: Provider, server: { url: string }, apiKey: string, profile = 'test'): SyncRig {
  const home = tempHome();
  const db = openMirror(home.db);
  const client = (o: { retries?: number; timeoutMs?: number; signal?: AbortSignal } = {}) =>
    new ApiClient({ provider, baseUrl: server.url, apiKey, profileName: profile, retries: o.retries ?? 3, timeoutMs: o.timeoutMs ?? 2000, signal: o.signal });
  return {
    db,
    client,
    sync: (o = {}) => syncProfile({ db, profile, provider, client: client({ retries: o.retries, signal: o.signal }), ...o }),
    ids: () => queryEvents(db, { profile, types: [], where: [] }).map((e) => e.id).sort(),
    cleanup: () => {
      db.close();
      home.cleanup();
    },
  };
}
