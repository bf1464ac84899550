// What the forward loop tells whoever shows it (the Ink view on a terminal, or the stream in a
// pipe): results, the state, notes. The stream writes NDJSON results on stdout, the rest on stderr.
import type { OutStream } from '../io.js';
import { sanitize } from '../output/sanitize.js';
import type { RevisedEvent } from '../store/contract.js';
import type { DeliveryResult } from './deliver.js';
import type { ResultWriter } from './results.js';

export type ForwardState =
  | { kind: 'starting' }
  | { kind: 'catching-up'; behind: number }
  | { kind: 'live'; offline: boolean; /** The sync interval, as given (--interval). */ every: string }
  | { kind: 'sync-failing'; error: string; retryAt: number }
  | { kind: 'rate-limited'; reason: string; retryAt: number }
  | { kind: 'handler-failing'; error: string; retryAt: number; id: string };

export type ForwardUpdate =
  | { kind: 'sending'; event: RevisedEvent; profile: string; to: string }
  | { kind: 'result'; result: DeliveryResult; event: RevisedEvent }
  | { kind: 'state'; state: ForwardState }
  | { kind: 'note'; text: string };

/** Words for a state (the view's header, the stream's stderr lines). */
export function describeForward(state: ForwardState, now: number): string {
  const inS = (at: number) => `${Math.max(0, Math.ceil((at - now) / 1000))}s`;
  switch (state.kind) {
    case 'starting':
      return 'starting';
    case 'catching-up':
      return `catching up (${state.behind} changes behind)`;
    case 'live':
      return state.offline ? 'live (following the mirror)' : `live (syncing every ${state.every})`;
    case 'sync-failing':
      return `sync failing: ${state.error} (next sync in ${inS(state.retryAt)})`;
    case 'rate-limited':
      return `rate-limited (${state.reason}; retrying in ${inS(state.retryAt)})`;
    case 'handler-failing':
      return `handler failing on ${state.id}: ${state.error} (retrying in ${inS(state.retryAt)})`;
  }
}

/** The pipe's printer: one NDJSON result per delivery on stdout; a state line on stderr when its kind changes. */
export function streamForward(writer: ResultWriter, err: OutStream): (update: ForwardUpdate) => void {
  let last = '';
  return (update) => {
    if (update.kind === 'result') return writer.write(update.result);
    if (update.kind === 'note') return void err.write(`forward: ${sanitize(update.text)}\n`);
    if (update.kind === 'sending') return;
    const key = update.state.kind === 'handler-failing' ? `${update.state.kind} ${update.state.id}` : update.state.kind;
    if (key === last) return;
    last = key;
    err.write(`forward: ${sanitize(describeForward(update.state, Date.now()))}\n`);
  };
}
