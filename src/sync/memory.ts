// Flat memory over long syncs. V8 lets its heap grow with the allocation rate rather than with what
// is live: a sync of a million events holds a few thousand rows at a time (under 20 MB live), yet
// its heap grew from ~60 MB at 100,000 events to ~100 MB at 1,000,000 while the garbage waited, and
// peak RSS from 135 to 164 MB. A full collection every second, and a new space held at its first
// size, keep the heap near what is live (measured: 122 MB at 1,000,000, at the same speed).
import v8 from 'node:v8';
import vm from 'node:vm';

const EVERY_MS = 1_000;

let gc: (() => void) | undefined | null;
let last = 0;

/** Runs a full garbage collection if the last one this made was more than EVERY_MS ago (the sync calls it per commit). */
export function collectNowAndThen(now = Date.now()): void {
  if (now - last < EVERY_MS) return;
  last = now;
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
