// Times in a description's three formats: reading an event's time as epoch ms, and writing a
// walk's bounds as filter parameters, rounded so that the API never leaves out an event the walk
// needs (a lower bound rounds down, an upper one up; an exclusive bound moves one unit further).
import { ShapeError } from '../../http/client.js';
import { parseTimestamp } from '../fields.js';
import type { Json } from '../types.js';
import type { TimeFilter, TimeFormat } from './format.js';

/** An event's time as epoch ms; a ShapeError naming the provider and field when it cannot be read. */
export function readTime(value: Json | undefined, format: TimeFormat, provider: string, field: string): number {
  if (format === 'iso8601') return parseTimestamp(typeof value === 'string' ? value : undefined, provider, field);
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new ShapeError(`${provider} event ${value === undefined ? 'without' : 'with a bad'} "${field}"`);
  return Math.round(format === 'epoch-seconds' ? n * 1000 : n);
}

/** `ms` as the filter's parameter: the lower bound of a walk (`since`) or its upper bound (`until`). */
export function boundParam(ms: number, filter: TimeFilter, side: 'since' | 'until'): string | number {
  const unit = filter.format === 'epoch-seconds' ? 1000 : 1;
  let units = side === 'since' ? Math.floor(ms / unit) : Math.ceil(ms / unit);
  if (!filter.inclusive) units += side === 'since' ? -1 : 1;
  if (filter.format === 'iso8601') return new Date(units).toISOString();
  return units;
}
