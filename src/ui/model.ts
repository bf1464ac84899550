// The state behind tail's view, as pure functions: what the source delivered (a bounded window of
// lines, the polling state, counts) and what the keys changed (selection, raw JSON, filter, pause).
import type { TailEvent, TailState, TailUpdate } from '../tail/types.js';

/** How many lines the view keeps: enough to scroll back through, flat memory however long it runs. */
export const MAX_LINES = 1000;
/** The rate is measured over this much of the recent past. */
const RATE_WINDOW_MS = 5 * 60_000;

export interface Line {
  /** Unique per line shown, so React and the selection can follow it. */
  key: number;
  event: TailEvent;
}

export interface TailData {
  lines: Line[];
  nextKey: number;
  state: TailState;
  note: string;
  /** Events shown since start: new ones, and updates of shown ones. */
  received: number;
  updated: number;
  /** When live events arrived, within the rate window. */
  arrivals: number[];
  startedAt: number;
}

export function initialData(now: number): TailData {
  return { lines: [], nextKey: 0, state: { kind: 'starting' }, note: '', received: 0, updated: 0, arrivals: [], startedAt: now };
}

/** The data after one update from the source. */
export function applyUpdate(data: TailData, update: TailUpdate, now: number, maxLines = MAX_LINES): TailData {
  if (update.kind === 'state') return { ...data, state: update.state };
  if (update.kind === 'note') return { ...data, note: update.text };
  let { lines, nextKey, received, updated } = data;
  const arrivals = data.arrivals.filter((t) => t > now - RATE_WINDOW_MS);
  for (const event of update.events) {
    // An update replaces the line of the version shown before: each event is on screen once.
    if (event.change === 'updated') {
      lines = lines.filter((l) => l.event.id !== event.id);
      updated += 1;
    }
    lines = [...lines, { key: nextKey++, event }];
    received += 1;
    if (!event.replayed) arrivals.push(now);
  }
  if (lines.length > maxLines) lines = lines.slice(lines.length - maxLines);
  return { ...data, lines, nextKey, received, updated, arrivals };
}

/** Events per minute over the recent past; undefined until there is enough of it to say. */
export function ratePerMinute(data: TailData, now: number): number | undefined {
  const span = Math.min(RATE_WINDOW_MS, now - data.startedAt);
  if (span < 10_000) return undefined;
  return (data.arrivals.filter((t) => t > now - RATE_WINDOW_MS).length * 60_000) / span;
}

export interface UiState {
  /** The selected line's key; null follows the newest line. */
  selected: number | null;
  /** The raw JSON of the selected line is open, scrolled down this many lines. */
  raw: { scroll: number } | null;
  /** The applied type filter (a substring), '' for none. */
  filter: string;
  /** The filter being typed after `/`, or null. */
  editing: string | null;
  /** While paused the view holds these lines; lines from key `nextKey` on came after. */
  paused: { lines: Line[]; nextKey: number } | null;
}

export const initialUi: UiState = { selected: null, raw: null, filter: '', editing: null, paused: null };

/** The lines on show: the held ones while paused, narrowed by the type filter. */
export function visibleLines(data: TailData, ui: UiState): Line[] {
  return narrowed(ui.paused?.lines ?? data.lines, ui.filter);
}

/** How many events came since the view was paused that the type filter would show. */
export function newWhilePaused(data: TailData, ui: UiState): number {
  const from = ui.paused?.nextKey;
  return from === undefined ? 0 : narrowed(data.lines, ui.filter).filter((l) => l.key >= from).length;
}

function narrowed(lines: Line[], filter: string): Line[] {
  const needle = filter.toLowerCase();
  return needle === '' ? lines : lines.filter((l) => l.event.type.toLowerCase().includes(needle));
}

/** The index of the selected line among `lines` (the newest when following, or when it is gone). */
export function selectedIndex(lines: Line[], ui: UiState): number {
  const at = ui.selected === null ? -1 : lines.findIndex((l) => l.key === ui.selected);
  return at >= 0 ? at : lines.length - 1;
}

/** What a key press asks for, as Ink's useInput reports it. */
export interface KeyPress {
  input: string;
  upArrow?: boolean;
  downArrow?: boolean;
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
}

export type KeyResult = UiState | { exit: 'quit' | 'interrupt' };

/** The UI state after a key press, or the way out (`q`: quit; Ctrl-C: interrupted). */
export function applyKey(ui: UiState, key: KeyPress, data: TailData): KeyResult {
  if (key.ctrl && key.input === 'c') return { exit: 'interrupt' };
  if (ui.editing !== null) {
    if (key.escape) return { ...ui, editing: null };
    if (key.return) return { ...ui, filter: ui.editing.trim(), editing: null, selected: null };
    if (key.backspace || key.delete) return { ...ui, editing: ui.editing.slice(0, -1) };
    // Printable characters only: a control character would move the cursor of the footer line.
    const text = key.ctrl ? '' : key.input.replace(/[\x00-\x1f\x7f]/g, '');
    if (text && !key.upArrow && !key.downArrow) return { ...ui, editing: ui.editing + text };
    return ui;
  }
  if (key.input === 'q' && !key.ctrl) return { exit: 'quit' };
  if (ui.raw) {
    if (key.escape || key.return) return { ...ui, raw: null };
    if (key.upArrow) return { ...ui, raw: { scroll: Math.max(0, ui.raw.scroll - 1) } };
    if (key.downArrow) return { ...ui, raw: { scroll: ui.raw.scroll + 1 } };
    return ui;
  }
  const lines = visibleLines(data, ui);
  const at = selectedIndex(lines, ui);
  if (key.upArrow && lines.length > 0) return { ...ui, selected: lines[Math.max(0, at - 1)]!.key };
  if (key.downArrow) {
    // Moving down onto the newest line goes back to following new arrivals.
    return { ...ui, selected: at + 1 >= lines.length - 1 ? null : lines[at + 1]!.key };
  }
  if (key.return && lines.length > 0) return { ...ui, selected: lines[at]!.key, raw: { scroll: 0 } };
  if (key.input === '/') return { ...ui, editing: ui.filter };
  if (key.escape && ui.filter !== '') return { ...ui, filter: '', selected: null };
  if (key.input === 'p') {
    return { ...ui, paused: ui.paused ? null : { lines: data.lines, nextKey: data.nextKey } };
  }
  return ui;
}
