// Flat memory over long syncs. V8 lets its heap grow with the allocation rate rather than with what
// is live: a sync of a million events holds a few thousand rows at a time (under 20 MB live), yet
// its heap grew from ~60 MB at 100,000 events to ~100 MB at 1,000,000 while the garbage waited, and
// peak RSS from 135 to 164 MB. A full collection every few thousand rows, and a new space held at
// its first size, keep the heap near what is live. The garbage grows with the rows handled, not
// with the clock: one collection a second let a faster sync (17,000 events/s) reach 148 MB. Each
// collection costs ~25 ms: one per 2,500 rows held a 100k BlueAI sync at 122 MB but spent a
// second of its time there; one per 5,000 rows (measured: 136 MB BlueAI, 134-142 MB Close, and
// 12 % faster) is the balance.
import v8 from 'node:v8';
import vm from 'node:vm';

const EVERY_ROWS = 5_000;

let gc: (() => void) | undefined | null;
let owed = 0;

/** Counts `rows` handed to a commit, and runs a full garbage collection once EVERY_ROWS have been since the last. */
export function collectNowAndThen(rows: number): void {
  owed += rows;
  if (owed < EVERY_ROWS) return;
  owed = 0;
  if (gc === undefined) {
    try {
      // `gc` is exposed only to contexts made after the flag is set: a fresh one hands it over.
      v8.setFlagsFromString('--expose-gc');
      // Young objects are collected in a new space that V8 grows to 16 MB a half; held at its
      // first size it costs more scavenges but no more memory for what a sync keeps (a batch).
      v8.setFlagsFromString('--semi-space-growth-factor=1');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
