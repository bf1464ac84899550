// The live progress line of a sync on a terminal's stderr: pages, events, events/s. Redrawn at
// most ten times a second; silent when stderr is not a terminal, unless --verbose (then a line
// every few seconds and a summary at the end).
import { thousands } from '../output/number.js';
import { sanitize } from '../output/sanitize.js';
import type { SyncProgress, SyncResult } from '../sync/engine.js';
import type { Io } from '../io.js';

export interface ProgressReporter {
  update(p: SyncProgress): void;
  /** Clears the live line and, when anyone is watching, prints the summary. */
  done(result: SyncResult | undefined): void;
  /** Writes a note without garbling the live line. */
  note(line: string): void;
}

const fmt = thousands;

/** `live`: redraw a line on a terminal; `verbose`: print plain lines every few seconds instead. */
export function progressReporter(io: Io, label: string, options: { live: boolean; verbose: boolean }): ProgressReporter {
  const live = options.live && Boolean(io.stderr.isTTY);
  const started = Date.now();
  let last = 0;
  let shown = false;
  const clear = () => {
    if (shown) io.stderr.write('\r\x1b[K');
    shown = false;
  };
  const rate = (events: number) => {
    const s = (Date.now() - started) / 1000;
    return s > 0 ? Math.round(events / s) : 0;
  };
  return {
    update(p) {
      const now = Date.now();
      if (now - last < (live ? 100 : 5000)) return;
      last = now;
      const reached = p.walk.reached === null ? '' : `, back to ${new Date(p.walk.reached).toISOString().slice(0, 16).replace('T', ' ')}`;
      const text = `${sanitize(label)}: ${fmt(p.pages)} pages, ${fmt(p.fetched)} events, ${fmt(rate(p.fetched))} events/s${reached}`;
      if (live) {
        io.stderr.write(`\r\x1b[K${text.slice(0, (io.stderr.columns ?? 200) - 1)}`);
        shown = true;
      } else if (options.verbose) {
        io.stderr.write(`${text}\n`);
      }
    },
    done(result) {
      clear();
      if (!result || !(live || options.verbose)) return;
      const secs = (result.ms / 1000).toFixed(1);
      io.stderr.write(
        `${sanitize(label)}: ${fmt(result.inserted)} new, ${fmt(result.updated)} updated, ${fmt(result.fetched)} fetched in ${secs} s\n`,
      );
    },
    note(line) {
      clear();
      // A note may quote the provider (a 429's reason): sanitised, as note() in io.ts does.
      io.stderr.write(`${sanitize(line)}\n`);
    },
  };
}
