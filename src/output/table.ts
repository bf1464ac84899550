// The table people see on a terminal: time, type, id, object, fitted to the window's width,
// type coloured by family unless colour is off. cli-table3 lays it out; we choose the widths.
import Table from 'cli-table3';
import { bold, familyColor, paint } from './color.js';
import { eventLine, fitWidths, truncate } from './line.js';
import type { ListedEvent } from './write.js';

const BASE_HEADERS = ['TIME (UTC)', 'TYPE', 'ID', 'OBJECT'];
const GAP = 2;

/**
 * Time, type, id, object (and PROFILE first with `showProfile`). An event the mirror holds in more
 * than one version (Close rewrites events) carries `↻ n` after its type: `events history ID`.
 */
export function renderTable(events: Iterable<ListedEvent>, options: { columns: number; color: boolean; showProfile?: boolean | undefined }): string {
  const withProfile = Boolean(options.showProfile);
  const HEADERS = withProfile ? ['PROFILE', ...BASE_HEADERS] : BASE_HEADERS;
  // The object gives up room first, then the type; the id last, as people copy it into `events get`.
  const SHRINK_ORDER = withProfile ? [4, 2, 0, 1, 3] : [3, 1, 0, 2];
  const cellsOf = (l: { profile: string; time: string; type: string; id: string; object: string }) =>
    withProfile ? [l.profile, l.time, l.type, l.id, l.object] : [l.time, l.type, l.id, l.object];
  let lines = [...events].map((e) => {
    const line = eventLine(e);
    const mark = e.versions !== undefined && e.versions > 1 ? ` ↻ ${e.versions}` : '';
    return { ...line, type: line.type + mark, profile: e.profile ?? '' };
  });
  const needsOf = () => HEADERS.map((h, i) => Math.max(h.length, ...lines.map((l) => cellsOf(l)[i]!.length)));
  let needs = needsOf();
  if (needs.reduce((a, b) => a + b, GAP * (HEADERS.length - 1)) > options.columns) {
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
    const cells = cellsOf(l).map((v, i) => truncate(v, widths[i]!));
    const t = withProfile ? 2 : 1;
    cells[t] = paint(cells[t]!, familyColor(l.type), options.color);
    table.push(cells);
  }
  return table.toString().split('\n').map((row) => row.trimEnd()).join('\n') + '\n';
}
