// How every engine's stream() hands out the batches it reads: one event at a time, with a full
// collection now and then (src/memory.ts), so that reading millions (export, list --all, a
// --since replay) stays in flat memory as a sync does. And the way back, for a reader that works
// a batch at a time (tail's replay, replay's deliveries).
import { collectEvery } from '../memory.js';
import type { StoredEvent } from './contract.js';

const collectNowAndThen = collectEvery(20_000);

export async function* eventsOf(batches: Iterable<StoredEvent[]> | AsyncIterable<StoredEvent[]>): AsyncIterable<StoredEvent> {
  for await (const batch of batches) {
    collectNowAndThen(batch.length);
    yield* batch;
  }
}

/** `items` in arrays of up to `size`, in order. */
export async function* inBatches<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
