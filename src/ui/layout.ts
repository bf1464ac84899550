// How tail's lines fit the window: the columns shrink (widest first, via fitWidths) and cells end
// in … when cut; below 100 columns the time drops its date, which the header's clock makes plain.
import { eventLine, fitWidths, formatTime, truncate } from '../output/line.js';
import type { TailEvent } from '../tail/types.js';

const GAP = 2;
/** The selection mark and the update mark, before the time. */
const MARKS = 3;

export interface Cells {
  time: string;
  type: string;
  id: string;
  object: string;
  summary: string;
}

export interface Layout {
  timeWidth: number;
  widths: [number, number, number, number];
}

export function layoutFor(events: TailEvent[], columns: number): Layout {
  const timeWidth = columns >= 100 ? 19 : 8;
  const need = (pick: (e: TailEvent) => string) => Math.max(0, ...events.map((e) => pick(e).length));
  const needs = [need((e) => e.type), need((e) => e.id), need((e) => e.object ?? ''), need((e) => e.summary)];
  // Keep a column for the trailing space Ink needs so a full line never wraps.
  const room = columns - MARKS - timeWidth - GAP - 1;
  const widths = fitWidths(needs, room, GAP, 6) as [number, number, number, number];
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
    summary: truncate(event.summary, summary),
  };
}
