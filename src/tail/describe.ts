// Words for the state of the polling, shared by the view's header and the stream's stderr lines.
import type { TailState } from './types.js';

/** Seconds, as people read them: `4 s`, `1.5 s`, `2 min`. */
export function seconds(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s >= 120) return `${Math.round(s / 60)} min`;
  return s < 10 && s % 1 !== 0 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

/** A countdown: whole seconds (rounded up, so it never says 0 s early), tenths below one. */
function countdown(ms: number): string {
  return ms < 1000 ? `${(Math.max(0, ms) / 1000).toFixed(1)} s` : seconds(Math.ceil(ms / 1000) * 1000);
}

/** One line for `state` as of `now`: `live (last poll 3 s ago)`, `rate-limited (retrying in 2 s)`. */
export function describeState(state: TailState, now: number): string {
  switch (state.kind) {
    case 'starting':
      return 'starting';
    case 'catching-up':
      return `catching up (${state.pages} ${state.pages === 1 ? 'page' : 'pages'} so far)`;
    case 'live': {
      const ago = Math.max(0, Math.floor((now - state.lastPoll) / 1000));
      if (state.offline) return `live (following the mirror; last change read ${ago} s ago)`;
      return `live (last poll ${ago} s ago${state.skipped ? '; another sync ran it' : ''})`;
    }
    case 'rate-limited':
      return `rate-limited (${state.reason}; retrying in ${countdown(state.retryAt - now)})`;
    case 'failing':
      return `failing: ${state.error} (next try in ${countdown(state.retryAt - now)})`;
  }
}
