// Back-pressure in writeEvents (list, get's siblings): when the stream says its buffer is full
// (write returns false), nothing more is written until it emits 'drain', in every streamed
// format; a plain object without `once` (the in-process tests' capture) is written straight through.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { writeEvents, type Format, type ListedEvent } from '../../src/output/write.js';

const event = (n: number): ListedEvent => ({
  id: `evt_${n}`,
  type: 'invoice.paid',
  time: Date.UTC(2026, 0, 1) + n * 1000,
  updated: Date.UTC(2026, 0, 1) + n * 1000,
  object: `inv_${n}`,
  raw: JSON.stringify({ id: `evt_${n}`, n }),
});

/** A writable whose buffer is "full" after every `capacity` writes, until drain() is called. */
class SlowStream extends EventEmitter {
  writes: string[] = [];
  private sinceDrain = 0;
  constructor(private readonly capacity: number) {
    super();
  }
  write(text: string): boolean {
    this.writes.push(text);
    this.sinceDrain += 1;
    return this.sinceDrain < this.capacity;
  }
  drain(): void {
    this.sinceDrain = 0;
    this.emit('drain');
  }
}

/** Lets every pending promise job and timer of this turn run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

const OPTIONS = { columns: 80, color: false };

describe('writeEvents waits for drain when the stream is full', () => {
  for (const format of ['ndjson', 'json', 'csv'] as Format[]) {
    it(`${format}: stops at a full buffer and goes on only after 'drain'`, async () => {
      const out = new SlowStream(3);
      let pulled = 0;
      async function* events() {
        for (let i = 0; i < 10; i++) {
          pulled += 1;
          yield event(i);
        }
      }
      let done = false;
      const writing = writeEvents(out, events(), { ...OPTIONS, format }).then(() => (done = true));
      await settle();
      // Three writes fill the buffer; no fourth until it drains, and no more events are read.
      expect(out.writes).toHaveLength(3);
      const pulledWhileFull = pulled;
      await settle();
      expect(out.writes).toHaveLength(3);
      expect(pulled).toBe(pulledWhileFull);
      expect(done).toBe(false);
      expect(out.listenerCount('drain')).toBe(1);

      out.drain();
      await settle();
      expect(out.writes).toHaveLength(6);
      expect(done).toBe(false);
      while (!done) {
        out.drain();
        await settle();
      }
      await writing;
      // Everything arrived, once, in order; no listener left behind.
      expect(out.listenerCount('drain')).toBe(0);
      const text = out.writes.join('');
      if (format === 'ndjson') expect(text).toBe(Array.from({ length: 10 }, (_, i) => `${event(i).raw}\n`).join(''));
      if (format === 'json') expect((JSON.parse(text) as Array<{ n: number }>).map((e) => e.n)).toEqual([...Array(10).keys()]);
      if (format === 'csv') {
        const lines = text.trimEnd().split('\n');
        expect(lines[0]).toBe('time,type,id,object');
        expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(Array.from({ length: 10 }, (_, i) => `evt_${i}`));
      }
    });
  }

  it('writes straight through a plain object without once, even when write returns false', async () => {
    const writes: string[] = [];
    const out = { write: (text: string) => (writes.push(text), false) };
    await writeEvents(out, [event(1), event(2)], { ...OPTIONS, format: 'ndjson' });
    expect(writes).toEqual([`${event(1).raw}\n`, `${event(2).raw}\n`]);
  });

  it('never waits while write returns true', async () => {
    const out = new SlowStream(Number.POSITIVE_INFINITY);
    await writeEvents(out, Array.from({ length: 100 }, (_, i) => event(i)), { ...OPTIONS, format: 'ndjson' });
    expect(out.writes).toHaveLength(100);
    expect(out.listenerCount('drain')).toBe(0);
  });
});
