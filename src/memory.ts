// Flat memory over long runs: a sync, and a long read (export, list --all, a --since replay).
// V8 lets its heap grow with the allocation rate rather than with what is live: a sync of a
// million events holds a few thousand rows at a time (under 20 MB live), yet its heap grew from
// ~60 MB at 100,000 events to ~100 MB at 1,000,000 while the garbage waited, and peak RSS from 135
// to 164 MB. A full collection every few thousand rows, and a new space held at its first size,
// keep the heap near what is live. The garbage grows with the rows handled, not with the clock:
// one collection a second let a faster sync (17,000 events/s) reach 148 MB. Each collection costs
// ~25 ms: one per 2,500 rows held a 100k BlueAI sync at 122 MB but spent a second of its time
// there; one per 5,000 rows (measured: 136 MB BlueAI, 134-142 MB Close, and 12 % faster) is the
// balance.
// node:v8 and node:vm are loaded at the first collection: the store reads through here, and a
// short command (list --offline) never gets that far.

let gc: (() => void) | undefined | null;

/**
 * A counter of rows handled that runs a full garbage collection once `everyRows` have been since
 * the last. A sync takes one per 5,000 rows (above). A stream's rows are cheaper to make, so the
 * same collection weighs more: over a million-event export, one per 5,000 rows made it 33 %
 * slower for 89 MB, one per 20,000 7 % slower for 116 MB (none: 141 MB, and a --since replay
 * reached 176 MB).
 */
export function collectEvery(everyRows: number): (rows: number) => void {
  let owed = 0;
  return (rows) => {
    owed += rows;
    if (owed < everyRows) return;
    owed = 0;
    fullCollector()?.();
  };
}

/** V8's own full collection, made available on first use; null where it cannot be. */
function fullCollector(): (() => void) | null {
  if (gc === undefined) {
    try {
      // `gc` is exposed only to contexts made after the flag is set: a fresh one hands it over.
      const v8 = process.getBuiltinModule('node:v8') as typeof import('node:v8');
      const vm = process.getBuiltinModule('node:vm') as typeof import('node:vm');
      v8.setFlagsFromString('--expose-gc');
      // Young objects are collected in a new space that V8 grows to 16 MB a half; held at its
      // first size it costs more scavenges but no more memory for what a sync keeps (a batch).
      v8.setFlagsFromString('--semi-space-growth-factor=1');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  return gc;
}
