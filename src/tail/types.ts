// What the follow loop tells whoever shows it (the Ink view, or the NDJSON printer): events to
// show once, and the state of the polling.
import type { StoredEvent } from '../store/contract.js';

/** One event to show (a stored event: raw is its JSON line): a new one, or a newer version of one (Close's consolidation). */
export interface TailEvent extends StoredEvent {
  /** A few words from the provider (`invoice inv_1 paid`), '' when it has none. */
  summary: string;
  change: 'new' | 'updated';
  /** Shown from the mirror for --since, not seen arriving (it does not count towards the rate). */
  replayed: boolean;
}

/** Where the polling stands. Times are epoch ms. */
export type TailState =
  | { kind: 'starting' }
  /** The first sync (or a long gap after failures) is still walking. */
  | { kind: 'catching-up'; pages: number }
  /**
   * `skipped`: another process held the profile's sync lock, so the mirror answered this time.
   * `offline`: tail --offline, following what other processes commit to the mirror.
   */
  | { kind: 'live'; lastPoll: number; skipped?: boolean; offline?: boolean }
  | { kind: 'rate-limited'; reason: string; retryAt: number }
  /** A request failed: retried at `retryAt` within the poll, or at the next poll once retries ran out. */
  | { kind: 'failing'; error: string; retryAt: number };

export type TailUpdate =
  | { kind: 'events'; events: TailEvent[] }
  | { kind: 'state'; state: TailState }
  /** A line the sync wanted the user to see (e.g. a provider's retention). */
  | { kind: 'note'; text: string };

/** Something that can be listened to: the live loop, or a test's hand-fed source. */
export interface TailSource {
  /** Starts delivering updates (including any that came before); returns the way to stop. */
  subscribe(listener: (update: TailUpdate) => void): () => void;
}
