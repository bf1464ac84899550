// How every engine's stream() hands out the batches it reads: one event at a time, with a full
// collection now and then (src/memory.ts), so that reading millions (export, list --all, a
// --since replay) stays in flat memory as a sync does.
import { collectEvery } from '../memory.js';
import type { StoredEvent } from './contract.js';

const collectNowAndThen = collectEvery(20_000);

export async function* eventsOf(batches: Iterable<StoredEvent[]> | AsyncIterable<StoredEvent[]>): AsyncIterable<StoredEvent> {
  for await (const batch of batches) {
    collectNowAndThen(batch.length);
    yield* batch;
  }
}
