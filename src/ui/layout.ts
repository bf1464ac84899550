// How tail's lines fit the window: the columns shrink (widest first, via fitWidths) and cells end
// in … when cut; below 100 columns the time drops its date, which the header's clock makes plain.
import { eventLine, fitWidths, formatTime, truncate } from '../output/line.js';
import type { TailEvent } from '../tail/types.js';

const GAP = 2;
/** The selection mark and the update mark, before the time. */
const MARKS = 3;
/** `evt_32f43de1-…`: enough of an id to tell it from its neighbours. */
const ID_WIDTH = 14;

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
  const need = (pick: (e: TailEvent) => string) => Math.max(0, ...events.map((e) => pick(e).length));
  const needs = [need((e) => e.type), need((e) => e.id), need((e) => e.object ?? ''), need((e) => e.summary)];
  // A narrow window keeps what a person reads (time, type, summary) and gives up the rest: the
  // object first when the summary names it, then the id (Enter shows both).
  if (columns < 120 && needs[3]! > 0) needs[2] = 0;
  if (columns < 72) needs[1] = 0;
  const shown = needs.filter((n) => n > 0).length;
  // Keep a column for the trailing space Ink needs so a full line never wraps.
  const room = columns - MARKS - timeWidth - GAP - 1 - GAP * (shown - 1);
  // When it does not all fit, the id gives way first: its first dozen characters tell events apart
  // on screen, while the summary is what a person reads.
  if (needs.reduce((a, b) => a + b, 0) > room && needs[1]! > 0) needs[1] = Math.min(needs[1]!, ID_WIDTH);
  const visible = fitWidths(needs.filter((n) => n > 0), room, 0, 6);
  const widths = needs.map((n) => (n > 0 ? visible.shift()! : 0)) as Layout['widths'];
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
