// How tail's lines fit the window: cells are sanitised (eventLine, sanitize), columns shrink and
// cells end in … when cut; below 100 columns the time drops its date, which the header's clock makes
// plain. The id is never cut (a cut id cannot be copied): it shows whole or, narrow, not at all.
import { eventLine, fitWidths, formatTime, truncate } from '../output/line.js';
import { sanitize } from '../output/sanitize.js';
import type { TailEvent } from '../tail/types.js';

const GAP = 2;
/** The selection mark and the update mark, before the time. */
const MARKS = 3;
/**
 * Type, id, object, summary: the least a shrunk column keeps. Below these the id gives way instead
 * (Enter shows it), so the type and summary stay readable.
 */
const FLOORS = [12, 0, 6, 16];

export interface Cells {
  time: string;
  type: string;
  id: string;
  object: string;
  summary: string;
}

export interface Layout {
  timeWidth: number;
  /** Type, id, object and summary; 0 hides a column. */
  widths: [number, number, number, number];
}

export function layoutFor(events: TailEvent[], columns: number): Layout {
  const timeWidth = columns >= 100 ? 19 : 8;
  const lines = events.map(eventLine);
  const need = (cells: string[]) => Math.max(0, ...cells.map((c) => c.length));
  const needs = [need(lines.map((l) => l.type)), need(lines.map((l) => l.id)), need(lines.map((l) => l.object)), need(events.map((e) => sanitize(e.summary)))];
  // A narrow window keeps what a person reads (time, type, summary): the object goes first when the
  // summary names it.
  if (columns < 120 && needs[3]! > 0) needs[2] = 0;
  // Keep a column for the trailing space Ink needs so a full line never wraps.
  const room = columns - MARKS - timeWidth - GAP - 1;
  // The summary gives up room first, then the object and the type; the id is never cut, and goes
  // (then the object) when the others are at their floors.
  const fitted = fitWidths(needs, room, GAP, FLOORS, [3, 2, 0], [2, 1]);
  // Narrower than the floors (the id is gone by then): the widest left shrinks on, so no line wraps.
  const widths = fitWidths(fitted, room, GAP, 6) as Layout['widths'];
  return { timeWidth, widths };
}

/** The cells of one line, each cut or padded to its column. */
export function cellsFor(event: TailEvent, layout: Layout): Cells {
  const line = eventLine(event);
  const time = layout.timeWidth === 19 ? line.time : formatTime(event.time).slice(11);
  const [type, id, object, summary] = layout.widths;
  const fit = (text: string, width: number) => truncate(text, width).padEnd(width);
  return {
    time,
    type: fit(line.type, type),
    id: fit(line.id, id),
    object: fit(line.object, object),
    summary: truncate(sanitize(event.summary), summary),
  };
}
