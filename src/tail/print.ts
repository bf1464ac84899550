// The stream for pipes: each event's raw JSON on its own line of stdout, written as it comes;
// the state on stderr, one line each time it changes kind (not every poll), sanitised (it may quote
// the provider's error).
import type { OutStream } from '../io.js';
import { sanitize } from '../output/sanitize.js';
import { describeState, seconds } from './describe.js';
import type { TailUpdate } from './types.js';

export function streamPrinter(
  out: OutStream,
  err: OutStream,
  options: { intervalMs: number; now?: () => number },
): (update: TailUpdate) => void {
  const now = options.now ?? Date.now;
  let last = 'starting';
  let wasLive = false;
  let lastNote = '';
  return (update) => {
    switch (update.kind) {
      case 'events':
        for (const event of update.events) out.write(`${event.raw}\n`);
        return;
      case 'note':
        // The same note every poll (another sync holds the lock) is said once.
        if (update.text !== lastNote) err.write(`${sanitize(update.text)}\n`);
        lastNote = update.text;
        return;
      case 'state': {
        const { state } = update;
        // A new kind of state, or a new error or reason: not the same one again each poll.
        const key = state.kind === 'failing' ? `failing ${state.error}` : state.kind === 'rate-limited' ? `429 ${state.reason}` : state.kind;
        if (key === last) return;
        last = key;
        if (state.kind === 'starting') return;
        const text =
          state.kind === 'live'
            ? `${wasLive ? 'live again' : 'live'}, ${state.offline ? 'following the mirror' : `polling every ${seconds(options.intervalMs)}`}`
            : state.kind === 'catching-up'
              ? 'catching up'
              : describeState(state, now());
        if (state.kind === 'live') wasLive = true;
        err.write(`tail: ${sanitize(text)}\n`);
        return;
      }
    }
  };
}
