// At most N deliveries in flight, and an acknowledgement that only moves over a contiguous prefix:
// with concurrency above 1 an event may finish before an older one, but a durable position may
// never pass an event that is still in flight (at-least-once).

/**
 * Runs `work` over `items` with at most `concurrency` at once. `onDone` hears each outcome as it
 * comes; `onPrefix` hears the last item of the longest finished prefix, in order, whenever it
 * grows. The first error (Ctrl-C) stops new work, waits for what is in flight, then is thrown.
 */
export async function pool<T, R>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
  onDone: (item: T, result: R) => void | Promise<void>,
  onPrefix?: (item: T) => void | Promise<void>,
): Promise<void> {
  const finished = new Array<boolean>(items.length).fill(false);
  let next = 0;
  let prefix = 0;
  let failure: { err: unknown } | undefined;
  // The acknowledgements are chained so that they reach the mirror in order.
  let acks: Promise<void> = Promise.resolve();
  const worker = async () => {
    while (!failure && next < items.length) {
      const index = next++;
      const item = items[index]!;
      try {
        await onDone(item, await work(item));
      } catch (err) {
        failure ??= { err };
        return;
      }
      finished[index] = true;
      const before = prefix;
      while (prefix < items.length && finished[prefix]) prefix += 1;
      if (prefix > before && onPrefix) {
        const last = items[prefix - 1]!;
        acks = acks.then(() => onPrefix(last));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  await acks;
  if (failure) throw failure.err;
}
