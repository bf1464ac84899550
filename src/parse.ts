// Parsing the values of flags: times, durations, limits, --where and --type. Each bad value is a
// UsageError (exit 2) whose one line says what was wrong and what a good value looks like.
import { UsageError } from './errors.js';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90s`, `15m`, `2h`, `7d` as milliseconds, or undefined if `value` is not a duration. */
export function durationMs(value: string): number | undefined {
  const m = DURATION.exec(value.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : undefined;
}

/** A duration flag (`--overlap 5m`, `--interval 5s`). */
export function parseDuration(flag: string, value: string): number {
  const ms = durationMs(value);
  if (ms === undefined) throw new UsageError(`invalid ${flag} "${value}": use a duration such as 90s, 15m, 2h or 7d`);
  return ms;
}

/**
 * A TIME (docs/cli.md): an ISO 8601 date or date-time, or a duration back from `now`. A date-time
 * without a zone is read as UTC, like every time the tool prints.
 */
export function parseTime(flag: string, value: string, now = Date.now()): number {
  const back = durationMs(value);
  if (back !== undefined) return now - back;
  const iso = /^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?(?:Z|[+-]\d\d:?\d\d)?$/i;
  if (iso.test(value.trim())) {
    const text = value.trim().replace(' ', 'T');
    const zoned = /(?:Z|[+-]\d\d:?\d\d)$/i.test(text) || !text.includes('T');
    const ms = Date.parse(zoned ? text : `${text}Z`);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new UsageError(
    `invalid ${flag} "${value}": use an ISO 8601 date or time (2026-01-15, 2026-01-15T10:30:00Z) or a duration (90s, 15m, 2h, 7d)`,
  );
}

/** A whole number of at least `min` (`--limit`, `--retries`). */
export function parseCount(flag: string, value: string, min = 1): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`invalid ${flag} "${value}": use a whole number of ${min} or more`);
  }
  return n;
}

/** `--where PATH=VALUE`: a dotted path into the raw event, and the value it must equal. */
export function parseWhere(value: string): { path: string; value: string } {
  const at = value.indexOf('=');
  const path = at > 0 ? value.slice(0, at).trim() : '';
  if (path === '' || path.split('.').some((part) => part === '')) {
    throw new UsageError(`invalid --where "${value}": use PATH=VALUE, e.g. --where data.status=paid`);
  }
  return { path, value: value.slice(at + 1) };
}

/** `--type`: an exact type, or a `prefix.*` pattern. */
export function parseType(value: string): string {
  const t = value.trim();
  if (t === '' || (t.includes('*') && !t.endsWith('*')) || t.indexOf('*') !== t.lastIndexOf('*')) {
    throw new UsageError(`invalid --type "${value}": use an exact type (invoice.paid) or a prefix pattern (invoice.*)`);
  }
  return t;
}

/** Commander's collector for repeatable flags. */
export function collect<T>(parse: (v: string) => T) {
  return (value: string, previous: T[] | undefined): T[] => [...(previous ?? []), parse(value)];
}
