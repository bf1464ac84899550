// The table people see on a terminal: time, type, id, object, fitted to the window's width,
// type coloured by family unless colour is off. cli-table3 lays it out; we choose the widths.
import Table from 'cli-table3';
import { familyColor, paint } from './color.js';
import { eventLine, fitWidths, truncate } from './line.js';
import type { StoredEvent } from '../store/events.js';

const HEADERS = ['TIME (UTC)', 'TYPE', 'ID', 'OBJECT'];

export function renderTable(events: Iterable<StoredEvent>, options: { columns: number; color: boolean }): string {
  const lines = [...events].map(eventLine);
  const needs = HEADERS.map((h, i) => Math.max(h.length, ...lines.map((l) => Object.values(l)[i]!.length)));
  const widths = fitWidths(needs, options.columns);
  const table = new Table({
    head: HEADERS.map((h) => (options.color ? `\x1b[1m${h}\x1b[22m` : h)),
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
      'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
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
