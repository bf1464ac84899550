// The table people see on a terminal: time, type, id, object, fitted to the window's width,
// type coloured by family unless colour is off. cli-table3 lays it out; we choose the widths.
import Table from 'cli-table3';
import { bold, familyColor, paint } from './color.js';
import { eventLine, fitWidths, truncate } from './line.js';
import type { StoredEvent } from '../store/contract.js';

const HEADERS = ['TIME (UTC)', 'TYPE', 'ID', 'OBJECT'];
const GAP = 2;
/** The object gives up room first, then the type; the id last, as people copy it into `events get`. */
const SHRINK_ORDER = [3, 1, 0, 2];

export function renderTable(events: Iterable<StoredEvent>, options: { columns: number; color: boolean }): string {
  let lines = [...events].map(eventLine);
  const needsOf = () => HEADERS.map((h, i) => Math.max(h.length, ...lines.map((l) => [l.time, l.type, l.id, l.object][i]!.length)));
  let needs = needsOf();
  if (needs.reduce((a, b) => a + b, GAP * 3) > options.columns) {
    // Narrow: the year goes before anything is cut (2026-11-22 19:45:44 → 11-22 19:45:44).
    lines = lines.map((l) => ({ ...l, time: l.time.slice(5) }));
    needs = needsOf();
  }
  const widths = fitWidths(needs, options.columns, GAP, 6, SHRINK_ORDER);
  const table = new Table({
    head: HEADERS.map((h, i) => bold(truncate(h, widths[i]!), options.color)),
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
      'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: ' '.repeat(GAP),
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    colWidths: widths,
    wordWrap: false,
  });
  for (const l of lines) {
    const cells = [l.time, l.type, l.id, l.object].map((v, i) => truncate(v, widths[i]!));
    cells[1] = paint(cells[1]!, familyColor(l.type), options.color);
    table.push(cells);
  }
  return table.toString().split('\n').map((row) => row.trimEnd()).join('\n') + '\n';
}
