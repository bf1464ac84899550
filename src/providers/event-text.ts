// Rows with their text: each event is kept as the provider served it, its JSON text sliced from
// the response (json-spans.ts), never re-serialised from the parsed value. And what the tool can
// derive from an event, which it says once, by id, when it cannot: an event is stored whatever it
// holds; only what cannot be derived from it (its search entry, --where inside it) is given up.
import { ShapeError } from '../http/client.js';
import { arraySpans, valueSpan, type Span } from './json-spans.js';
import type { EventRow, JsonObject, Provider } from './types.js';

/** Where a caller hears about an event kept with less than usual (one line, no newline). */
export type Warn = (line: string) => void;

/**
 * Events of more JSON text than this (UTF-8 bytes) have no search entry, in either engine:
 * PostgreSQL's tsvector holds at most 1 MB, which text up to this size cannot exceed (about three
 * bytes of vector per byte of text at worst, for distinct three-letter words).
 */
export const SEARCH_MAX_BYTES = 256 * 1024;

/** SQLite's JSON functions refuse documents nested deeper than this; --where cannot read them. */
export const WHERE_MAX_DEPTH = 1000;

/** Whether an event's text goes into the search index. */
export function searchable(text: string): boolean {
  // Cheap first: a string can take up to three UTF-8 bytes per UTF-16 unit.
  return text.length * 3 <= SEARCH_MAX_BYTES || Buffer.byteLength(text, 'utf8') <= SEARCH_MAX_BYTES;
}

/** The rows of a list response: every event normalised with its served text. */
export function pageRows(provider: Provider, events: JsonObject[], body: string, warn?: Warn): EventRow[] {
  const spans = arraySpans(body, provider.eventsPath);
  if (!spans || spans.length !== events.length) {
    throw new ShapeError(`${provider.name}: could not find the events at ${describePath(provider.eventsPath)} in the response text`);
  }
  const rows: EventRow[] = [];
  events.forEach((raw, i) => {
    const row = rowOf(provider, raw, spans[i]!, warn, `event ${i + 1} of a page`);
    if (row) rows.push(row);
  });
  return rows;
}

/** The row of a get-one response (`provider.eventPath` in `body`). */
export function oneRow(provider: Provider, raw: JsonObject, body: string, warn?: Warn): EventRow {
  const span = valueSpan(body, provider.eventPath);
  if (!span) throw new ShapeError(`${provider.name}: could not find the event at ${describePath(provider.eventPath)} in the response text`);
  return textRow(provider, raw, span, warn);
}

/** One event given with its own text (`import`); the normaliser's error is thrown. */
export function textRow(provider: Provider, raw: JsonObject, span: Span, warn?: Warn): EventRow {
  const columns = provider.normalize(raw);
  note(span, columns.id, warn);
  return { ...columns, text: oneLine(span.text) };
}

/**
 * One event's row of a page, or undefined when it lacks what a row needs (an id, a type, a time):
 * then it cannot be stored, and `warn` says which, by its text, while the rest of its page is
 * kept. Without `warn` the normaliser's error is thrown.
 */
function rowOf(provider: Provider, raw: JsonObject, span: Span, warn: Warn | undefined, where: string): EventRow | undefined {
  let columns: ReturnType<Provider['normalize']>;
  try {
    columns = provider.normalize(raw);
  } catch (err) {
    if (!warn) throw err;
    warn(`warning: ${provider.name} ${where} was not stored: ${(err as Error).message} (${preview(span.text)})`);
    return undefined;
  }
  note(span, columns.id, warn);
  return { ...columns, text: oneLine(span.text) };
}

/**
 * The text on one line: a raw line break can only be whitespace between tokens (inside a string
 * it is escaped), so dropping it changes nothing the provider said, and NDJSON stays one a line.
 */
function oneLine(text: string): string {
  return text.includes('\n') || text.includes('\r') ? text.replace(/[\r\n][\t\n\r ]*/g, '') : text;
}

/** Says, once, what cannot be derived from an event. */
function note(span: Span, id: string, warn: Warn | undefined): void {
  // Nearly every event loses nothing: that case allocates nothing.
  const deep = span.depth > WHERE_MAX_DEPTH;
  const big = !searchable(span.text);
  if (!warn || (!deep && !big)) return;
  const lost: string[] = [];
  if (deep) lost.push(`--where does not look inside it (nested ${span.depth.toLocaleString('en-US')} levels deep)`);
  if (big) lost.push(`it is not in the search index (${(Buffer.byteLength(span.text) / 1024).toFixed(0)} KB of JSON, over ${SEARCH_MAX_BYTES / 1024} KB)`);
  if (lost.length > 0) warn(`warning: event ${JSON.stringify(id)} is stored as served, but ${lost.join('; ')}`);
}

/** The start of an event's text, quoted so nothing in it can act on a terminal. */
function preview(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

function describePath(path: string[]): string {
  return path.length === 0 ? 'the root' : `"${path.join('.')}"`;
}
