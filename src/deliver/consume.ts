// Following a profile's change log and handing each event on (forward, tail --consumer), with an
// optional durable position: a consumer's revision moves only over events handled (delivered, or
// failed and recorded with --skip-failed), so a process stopped in any way resumes with every
// event new or changed since its last acknowledgement, and none acknowledged before.
import { sleep } from '../http/backoff.js';
import type { RevisedEvent, Store } from '../store/contract.js';
import { changeFeed } from '../tail/changes.js';
import { pool } from './pool.js';

/** What became of one event: handled (ok), failed for good (recorded, passed), or not ours. */
export type Handled = { ok: true } | { ok: false; error: string } | null;

export interface ConsumeOptions {
  store: Store;
  profile: string;
  /** The durable consumer's name; none: start from the head and keep no position. */
  consumer?: string | undefined;
  signal: AbortSignal;
  /** Online: one sync before the start (a new position starts after what it brought). */
  firstSync?: (() => Promise<void>) | undefined;
  /** Online: syncs every interval until the signal aborts, calling `changed` after each sync. */
  syncLoop?: ((signal: AbortSignal, changed: () => void) => Promise<void>) | undefined;
  concurrency: number;
  /** Hands one changed event on; null when it is not for us (filters, no route). */
  handle(event: RevisedEvent): Promise<Handled>;
  note(text: string): void;
  /** Told how far behind the head the position is, after each batch (the view's "catching up"). */
  onProgress?: (info: { rev: number; head: number }) => void;
  /** How often to try a consumer's lock held by another process. */
  lockPollMs?: number;
}

export async function consume(o: ConsumeOptions): Promise<void> {
  const { store, profile, consumer, signal } = o;
  const release = consumer ? await takeLock(o, consumer) : undefined;
  try {
    const saved = consumer ? await store.consumer(consumer, profile) : undefined;
    if (!saved) await o.firstSync?.();
    let after = saved ? saved.rev : await store.headRevision(profile);
    let failures = saved?.failures ?? 0;
    if (consumer && !saved) {
      await store.saveConsumer({ name: consumer, profile, rev: after, ackedAt: Date.now() });
      o.note(`consumer "${consumer}" is new: it starts after revision ${after} (now)`);
    } else if (consumer) o.note(`consumer "${consumer}" resumes after revision ${after}`);

    const inner = new AbortController();
    const stop = () => inner.abort();
    signal.addEventListener('abort', stop, { once: true });
    // The sync loop ends the follow when it fails for good (bad credentials): its error wins.
    let syncError: { err: unknown } | undefined;
    let nudge: (() => void) | undefined;
    const syncing = o.syncLoop?.(inner.signal, () => nudge?.()).catch((err: unknown) => {
      if (!signal.aborted) syncError = { err };
      inner.abort();
    });
    o.onProgress?.({ rev: after, head: await store.headRevision(profile) });
    try {
      for await (const batch of changeFeed({ store, profile, after, signal: inner.signal, onNudge: (n) => (nudge = n) })) {
        await pool(
          batch,
          o.concurrency,
          (event) => o.handle(event),
          async (event, outcome) => {
            if (!consumer || outcome === null) return;
            if (outcome.ok) return;
            failures += 1;
            await store.saveConsumer({ name: consumer, profile, failures, lastError: `${event.id}: ${outcome.error}`.slice(0, 500) });
          },
          async (event) => {
            after = event.rev;
            if (consumer) await store.saveConsumer({ name: consumer, profile, rev: event.rev, ackedAt: Date.now(), lastDelivery: Date.now() });
          },
        );
        o.onProgress?.({ rev: after, head: await store.headRevision(profile) });
      }
    } finally {
      signal.removeEventListener('abort', stop);
      inner.abort();
      await syncing;
    }
    if (syncError) throw syncError.err;
  } finally {
    await release?.();
  }
}

/** Takes `consumer:NAME:PROFILE`, waiting while another process holds it: never two at once. */
async function takeLock(o: ConsumeOptions, consumer: string): Promise<() => Promise<void>> {
  const key = `consumer:${consumer}:${o.profile}`;
  let attempt = await o.store.tryLock(key);
  if (!attempt.ok) {
    o.note(`consumer "${consumer}" is in use by ${attempt.holder}; waiting for it to stop`);
    while (!attempt.ok) {
      await sleep(o.lockPollMs ?? 500, o.signal);
      attempt = await o.store.tryLock(key);
    }
    o.note(`consumer "${consumer}" is free: taking over`);
  }
  const { lock } = attempt;
  return () => lock.release();
}
