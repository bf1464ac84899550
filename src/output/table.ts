// The table people see on a terminal: time, type, id, object, fitted to the window's width,
// type coloured by family unless colour is off. cli-table3 lays it out; we choose the widths. Cells
// come sanitised (eventLine), and are coloured only after that.
import Table from 'cli-table3';
import { bold, familyColor, paint } from './color.js';
import { eventLine, fitWidths, truncate } from './line.js';
import { sanitize } from './sanitize.js';
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
  // The object gives up room first, then the type (and profile). The id is never cut, as people copy
  // it into `events get`; the time is whole or gone. When shrinking is not enough, columns go: the
  // object, the time, the profile, the type (a 60-column window shows type and id).
  const SHRINK_ORDER = withProfile ? [4, 2, 0] : [3, 1];
  const DROP_ORDER = withProfile ? [4, 1, 0, 2] : [3, 0, 1];
  const cellsOf = (l: { profile: string; time: string; type: string; id: string; object: string }) =>
    withProfile ? [l.profile, l.time, l.type, l.id, l.object] : [l.time, l.type, l.id, l.object];
  let lines = [...events].map((e) => {
    const line = eventLine(e);
    const mark = e.versions !== undefined && e.versions > 1 ? ` ↻ ${e.versions}` : '';
    return { ...line, type: line.type + mark, profile: sanitize(e.profile ?? '') };
  });
  const needsOf = () => HEADERS.map((h, i) => Math.max(h.length, ...lines.map((l) => cellsOf(l)[i]!.length)));
  let needs = needsOf();
  if (needs.reduce((a, b) => a + b, GAP * (HEADERS.length - 1)) > options.columns) {
    // Narrow: the year goes before anything is cut (2026-11-22 19:45:44 → 11-22 19:45:44).
    lines = lines.map((l) => ({ ...l, time: l.time.slice(5) }));
    needs = needsOf();
  }
  const fitted = fitWidths(needs, options.columns, GAP, 6, SHRINK_ORDER, DROP_ORDER);
  const shown = fitted.flatMap((w, i) => (w > 0 ? [i] : []));
  const widths = shown.map((i) => fitted[i]!);
  const TYPE = withProfile ? 2 : 1;
  const table = new Table({
    head: shown.map((i, k) => bold(truncate(HEADERS[i]!, widths[k]!), options.color)),
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
      'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: ' '.repeat(GAP),
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    colWidths: widths,
    wordWrap: false,
  });
  for (const l of lines) {
    const all = cellsOf(l);
    table.push(shown.map((i, k) => (i === TYPE ? paint(truncate(all[i]!, widths[k]!), familyColor(l.type), options.color) : truncate(all[i]!, widths[k]!))));
  }
  return table.toString().split('\n').map((row) => row.trimEnd()).join('\n') + '\n';
}
