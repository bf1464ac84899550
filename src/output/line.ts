// The fields one event shows as a line, shared by `list`'s table and `tail`'s view.

/** 2026-01-15 10:30:00 — always UTC, the zone every provider's times are normalised to. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
}

/** Cuts `text` to `width` characters, ending in … when it had to cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}

/** The columns of a line: what list's table and tail's rows print. */
export interface EventLine {
  time: string;
  type: string;
  id: string;
  object: string;
}

export function eventLine(event: { time: number; type: string; id: string; object: string | null }): EventLine {
  return { time: formatTime(event.time), type: event.type, id: event.id, object: event.object ?? '' };
}

/**
 * Widths for columns that must fit `total` characters with `gap` spaces between them: each gets
 * what it needs when it all fits. Otherwise columns give up room in `shrinkOrder` (default: the
 * widest first), none below `min`: list puts the id last, so it stays whole to copy into `get`.
 */
export function fitWidths(needs: number[], total: number, gap = 2, min = 6, shrinkOrder?: number[]): number[] {
  const widths = [...needs];
  let over = widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1) - total;
  if (shrinkOrder) {
    for (const i of shrinkOrder) {
      const give = Math.min(over, Math.max(0, widths[i]! - min));
      widths[i]! -= give;
      over -= give;
    }
    return widths;
  }
  while (over > 0) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= min) break;
    widths[widest]! -= 1;
    over -= 1;
  }
  return widths;
}
