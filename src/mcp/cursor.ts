// list_events' cursor: where the last page ended, as a time and the events shown at that exact
// time (ties), so the next page starts below it with none twice and none skipped, whatever
// arrives meanwhile above it. Opaque to clients: base64url JSON.
import { UsageError } from '../errors.js';

export interface Cursor {
  /** The time of the last event shown (epoch ms): the next page reads at or before it. */
  t: number;
  /** `profile\0id` of the events shown at exactly `t`. */
  seen: string[];
}

export const eventKey = (e: { profile: string; id: string }) => `${e.profile}\0${e.id}`;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (Number.isFinite(c.t) && Array.isArray(c.seen) && c.seen.every((s) => typeof s === 'string')) return c;
  } catch {
    // reported below
  }
  throw new UsageError(`invalid cursor "${text.length > 40 ? `${text.slice(0, 40)}…` : text}": pass the next_cursor of the previous page as it is`);
}

/** The cursor after a page whose last event is `last`, given the cursor the page started from. */
export function nextCursor(page: Array<{ profile: string; id: string; time: number }>, from: Cursor | undefined): Cursor {
  const t = page[page.length - 1]!.time;
  const seen = page.filter((e) => e.time === t).map(eventKey);
  return { t, seen: from?.t === t ? [...from.seen, ...seen] : seen };
}
