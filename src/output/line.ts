// The fields one event shows as a line, shared by `list`'s table and `tail`'s view.
import { sanitize } from './sanitize.js';

/** 2026-01-15 10:30:00 — always UTC, the zone every provider's times are normalised to. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
}

/** Cuts `text` to `width` characters, ending in … when it had to cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}

/** The columns of a line: what list's table and tail's rows print, safe for a terminal (sanitize). */
export interface EventLine {
  time: string;
  type: string;
  id: string;
  object: string;
}

export function eventLine(event: { time: number; type: string; id: string; object: string | null }): EventLine {
  return { time: formatTime(event.time), type: sanitize(event.type), id: sanitize(event.id), object: sanitize(event.object ?? '') };
}

/**
 * Widths for columns that must fit `total` characters with `gap` spaces between shown ones: each
 * gets what it needs when it all fits. Otherwise whole columns go first, in `dropOrder` (width 0),
 * while even their least widths would not fit; then columns give up room in `shrinkOrder` (default:
 * the widest first), none below `min` (one for all, or per column). With a `shrinkOrder`, a column
 * left out of it is never cut: an id cut short cannot be copied into `events get`, so it shows
 * whole or not at all.
 */
export function fitWidths(
  needs: number[],
  total: number,
  gap = 2,
  min: number | number[] = 6,
  shrinkOrder?: number[],
  dropOrder: number[] = [],
): number[] {
  const widths = [...needs];
  const floor = (i: number) => (typeof min === 'number' ? min : (min[i] ?? 6));
  const gaps = () => gap * Math.max(0, widths.filter((w) => w > 0).length - 1);
  const least = (w: number, i: number) => (shrinkOrder && !shrinkOrder.includes(i) ? w : Math.min(w, floor(i)));
  for (const i of dropOrder) {
    if (widths.reduce((sum, w, j) => sum + least(w, j), 0) + gaps() <= total) break;
    widths[i] = 0;
  }
  let over = widths.reduce((a, b) => a + b, 0) + gaps() - total;
  if (shrinkOrder) {
    for (const i of shrinkOrder) {
      const give = Math.min(Math.max(0, over), Math.max(0, widths[i]! - floor(i)));
      widths[i]! -= give;
      over -= give;
    }
    return widths;
  }
  while (over > 0) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= floor(widest)) break;
    widths[widest]! -= 1;
    over -= 1;
  }
  return widths;
}
