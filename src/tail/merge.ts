// Several profiles' follow loops as one tail (`--profile a,b`, `--all-profiles`), apart from how
// each loop is run (cli/commands/tail.ts gives each a session of its own). In a pipe each profile
// prints for itself, its stderr lines naming it. On a terminal one view gets them all: each event
// with its profile in front of its summary, each note naming its profile, and in the header the
// state that needs attention most. A loop that ends with an error (the provider refuses the key)
// stops only its profile: it says so (its header note, or one stderr line) and the others go on.
import type { OutStream } from '../io.js';
import { sanitize } from '../output/sanitize.js';
import { streamPrinter } from './print.js';
import type { TailState, TailUpdate } from './types.js';

export interface ProfileLoop {
  /** The profile as shown: its name, or `(environment)`. */
  tag: string;
  /** Runs the profile's follow loop, handing its updates to `emit`, until it is stopped or fails. */
  run(emit: (update: TailUpdate) => void): Promise<void>;
}

export interface FollowAllOptions {
  /** Profiles named by a list (not the session's one): updates name their profile, a failure stops only its own. */
  several: boolean;
  /** The one view's input, on a terminal; without it, a pipe: events on `out`, states and notes on `err`. */
  view?: ((update: TailUpdate) => void) | undefined;
  out: OutStream;
  err: OutStream;
  intervalMs: number;
  /** The loops' stop (the user left the view, Ctrl-C): an error then is not a failure. */
  signal: AbortSignal;
}

/**
 * Runs every loop. With several profiles it ends when every loop has, with the first failure unless
 * the loops were stopped by then; with one, as that loop ends.
 */
export function followAll(loops: ProfileLoop[], o: FollowAllOptions): Promise<void> {
  const { view, several } = o;
  const states = new Map<string, TailState>();
  const stopped = new Map<string, string>();
  // The header shows the state of the running one that needs attention most, and a note with each one's.
  const showStates = (show: (update: TailUpdate) => void) => {
    const running = [...states].filter(([p]) => !stopped.has(p)).map(([, st]) => st);
    if (running.length > 0) show({ kind: 'state', state: worst(running) });
    show({ kind: 'note', text: [...states.keys()].map((p) => `${p}: ${stopped.has(p) ? `stopped: ${stopped.get(p)}` : states.get(p)!.kind}`).join(' · ') });
  };
  const emitFor = (tag: string): ((update: TailUpdate) => void) => {
    if (!view) {
      const err = several ? { write: (text: string) => o.err.write(text.replace(/^tail: /, `tail: ${tag}: `)) } : o.err;
      return streamPrinter(o.out, err, { intervalMs: o.intervalMs });
    }
    if (!several) return view;
    return (update) => {
      if (update.kind === 'events') view({ ...update, events: update.events.map((e) => ({ ...e, summary: e.summary ? `${tag} · ${e.summary}` : tag })) });
      else if (update.kind === 'note') view({ kind: 'note', text: `${tag}: ${update.text}` });
      else {
        states.set(tag, update.state);
        showStates(view);
      }
    };
  };
  let firstFailure: unknown;
  const runs = loops.map(({ tag, run }) => {
    const one = run(emitFor(tag));
    if (!several) return one;
    return one.catch((err: unknown) => {
      if (o.signal.aborted) return;
      if (firstFailure === undefined) firstFailure = err;
      const message = err instanceof Error ? err.message : String(err);
      if (!view) return void o.err.write(`tail: ${tag}: stopped: ${sanitize(message)}\n`);
      stopped.set(tag, message);
      if (!states.has(tag)) states.set(tag, { kind: 'starting' });
      showStates(view);
    });
  });
  return Promise.all(runs).then(() => {
    if (firstFailure !== undefined && !o.signal.aborted) throw firstFailure;
  });
}

const ATTENTION: Record<TailState['kind'], number> = { failing: 4, 'rate-limited': 3, 'catching-up': 2, starting: 1, live: 0 };

/** Of several profiles' states, the one that most needs attention (all live: the oldest poll). */
export function worst(states: TailState[]): TailState {
  return states.reduce((a, b) => {
    if (ATTENTION[b.kind] !== ATTENTION[a.kind]) return ATTENTION[b.kind] > ATTENTION[a.kind] ? b : a;
    return a.kind === 'live' && b.kind === 'live' && b.lastPoll < a.lastPoll ? b : a;
  });
}
