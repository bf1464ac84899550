// Shared by the delivery tests: webhook secrets of each provider's format, sample events from the
// fakes' generators, and a mirror seeded with them through the store contract (as a sync would).
import { openStore } from '../../src/store/open.js';
import type { JsonObject, BuiltinName } from '../../src/providers/types.js';
import { engineHome, runEvents } from './cli.js';
import { bemEvent } from './fake-bem.js';
import { blueaiEvent } from './fake-blueai.js';
import { closeEvent } from './fake-close.js';
import { seamEvent } from './fake-seam.js';
import type { Engine } from './engines.js';
import { normalized } from './rows.js';

export const SECRETS: Record<BuiltinName, string> = {
  close: '058bfb6a3d8cfdc4da7c3be5901b16ae11da982b46a25fb2cd7016e97a140a1c',
  seam: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  bem: 'bem-secret-for-tests',
  blueai: 'whsec_c2VjcmV0LWZvci10ZXN0cy1ibHVlYWk=',
};

/** `count` raw events of `provider`, one minute apart, oldest first. */
export function sampleEvents(provider: BuiltinName, count: number, from = 0): JsonObject[] {
  const start = Date.now() - 2 * 3_600_000;
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const t = start + n * 60_000;
    const raw = provider === 'close' ? closeEvent(n, t) : provider === 'seam' ? seamEvent(n, t * 1000) : provider === 'bem' ? bemEvent(n, t) : blueaiEvent(n, t);
    return raw as unknown as JsonObject;
  });
}

/** A mirror of `engine` holding `events` under profile `p1` of `provider` (as another machine synced them). */
export async function seededMirror(engine: Engine, provider: BuiltinName, events: JsonObject[], cleanups: Array<() => unknown>) {
  const home = await engineHome(engine);
  cleanups.push(home.cleanup);
  const store = await openStore(home.db, {});
  try {
    await store.putEvents('p1', provider, events.map((raw) => normalized(provider, raw)));
  } finally {
    await store.close();
  }
  const env = { EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir, WEBHOOK_SECRET: SECRETS[provider] };
  const run = (args: string[], input?: string) => runEvents(['--profile', 'p1', ...args], env, input);
  return { home, env, run };
}


/** Adds events to a mirror from outside, as another process's sync would. */
export async function putEvents(db: string, provider: BuiltinName, events: JsonObject[], profile = 'p1'): Promise<void> {
  const store = await openStore(db, {});
  try {
    await store.putEvents(profile, provider, events.map((raw) => normalized(provider, raw)));
  } finally {
    await store.close();
  }
}
