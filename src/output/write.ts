// Writing events to stdout in the chosen format (docs/cli.md, "Output"). json and ndjson print
// each event exactly as its provider returned it; csv and table print the normalised columns, and on
// a terminal (a person reads them) sanitised.
import { writeDrained, type OutStream } from '../io.js';
import type { StoredEvent } from '../store/contract.js';
import { indentJson } from './indent.js';
import { formatTime } from './line.js';
import { sanitize } from './sanitize.js';

export type Format = 'table' | 'json' | 'ndjson' | 'csv';
export const FORMATS: Format[] = ['table', 'json', 'ndjson', 'csv'];

export interface WriteOptions {
  format: Format;
  columns: number;
  color: boolean;
  /** json/ndjson: wrap each event as {"profile","provider","event"}. */
  envelope?: boolean | undefined;
  /** table/csv: a PROFILE column (a timeline over several profiles). */
  showProfile?: boolean | undefined;
}

/** An event to write, with the profile it came from and how many versions the mirror kept (when known). */
export type ListedEvent = StoredEvent & { profile?: string; provider?: string; versions?: number };

/** The envelope line of `--envelope`, `export` and `import`: the raw text is kept byte for byte. */
export function envelope(e: { profile?: string | undefined; provider?: string | undefined; raw: string }): string {
  return `{"profile":${JSON.stringify(e.profile ?? '')},"provider":${JSON.stringify(e.provider ?? '')},"event":${e.raw}}`;
}

/**
 * Writes a list of events; streams every format but the table, waiting for the stream to drain
 * whenever it says its buffer is full (writeDrained), so a slow reader never makes it pile up.
 */
export async function writeEvents(
  out: OutStream,
  events: Iterable<ListedEvent> | AsyncIterable<ListedEvent>,
  options: WriteOptions,
): Promise<void> {
  const text = options.envelope ? envelope : (e: ListedEvent) => e.raw;
  switch (options.format) {
    case 'ndjson':
      for await (const e of events) await writeDrained(out, `${text(e)}\n`);
      return;
    case 'json': {
      let first = true;
      await writeDrained(out, '[');
      for await (const e of events) {
        await writeDrained(out, first ? `\n${text(e)}` : `,\n${text(e)}`);
        first = false;
      }
      await writeDrained(out, first ? ']\n' : '\n]\n');
      return;
    }
    case 'csv':
      await writeDrained(out, options.showProfile ? 'profile,time,type,id,object\n' : 'time,type,id,object\n');
      for await (const e of events) {
        const cells = [new Date(e.time).toISOString(), e.type, e.id, e.object ?? ''];
        if (options.showProfile) cells.unshift(e.profile ?? '');
        await writeDrained(out, csvRow(cells, out));
      }
      return;
    case 'table': {
      const { renderTable } = await import('./table.js');
      const rows: ListedEvent[] = [];
      for await (const e of events) rows.push(e);
      out.write(renderTable(rows, options));
      return;
    }
  }
}

/** Writes one event (`get`): json and ndjson print the raw object; a terminal gets it indented. */
export function writeOne(out: OutStream, event: StoredEvent, options: WriteOptions): void {
  if (options.format === 'csv') {
    out.write('time,type,id,object\n');
    out.write(csvRow([new Date(event.time).toISOString(), event.type, event.id, event.object ?? ''], out));
  } else if (options.format === 'table') {
    // JSON.stringify escapes C0 controls but not DEL, C1 or bidi controls: the indented text is sanitised too.
    out.write(sanitize(`${event.type}  ${event.id}  ${formatTime(event.time)} UTC\n${indentJson(event.raw)}\n`));
  } else {
    out.write(`${event.raw}\n`);
  }
}

/** One CSV line; on a terminal its cells are sanitised (a file or pipe gets the provider's text). */
export function csvRow(cells: string[], out: OutStream): string {
  return `${cells.map((c) => csvCell(out.isTTY ? sanitize(c) : c)).join(',')}\n`;
}

/** RFC 4180: quote a cell that holds a comma, quote or line break. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
