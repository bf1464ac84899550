// Reading fields out of raw provider JSON without `any`: every provider's readPage and normalize
// use these, so a body of the wrong shape fails the same way everywhere (a ShapeError, retried).
import { ShapeError } from '../http/client.js';
import type { Json, JsonObject } from './types.js';

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as an object, or a ShapeError naming what was expected. */
export function expectObject(value: Json | undefined, what: string): JsonObject {
  if (!isObject(value)) throw new ShapeError(`response is not ${what}`);
  return value;
}

/** `body[key]` as an array of event objects, or a ShapeError. */
export function expectEventArray(body: JsonObject, key: string, what: string): JsonObject[] {
  const list = body[key];
  if (!Array.isArray(list) || !list.every(isObject)) {
    throw new ShapeError(`response has no "${key}" array of ${what}`);
  }
  return list as JsonObject[];
}

/** A string field, or undefined when missing or not a string. */
export function str(obj: JsonObject | undefined, key: string): string | undefined {
  const value = obj?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** A required string field of an event, or a ShapeError naming the provider and field. */
export function requireStr(obj: JsonObject, key: string, provider: string): string {
  const value = str(obj, key);
  if (value === undefined || value === '') throw new ShapeError(`${provider} event without "${key}"`);
  return value;
}

/**
 * An ISO 8601 timestamp as epoch ms. `naive` timestamps (no Z or offset, as Close sends) are
 * read as UTC, never as local time.
 */
export function parseTimestamp(value: string | undefined, provider: string, field: string): number {
  if (value === undefined) throw new ShapeError(`${provider} event without "${field}"`);
  const hasZone = /(?:[zZ]|[+-]\d\d:?\d\d)$/.test(value);
  const isDateOnly = /^\d{4}-\d\d-\d\d$/.test(value);
  const ms = Date.parse(hasZone || isDateOnly ? value : `${value}Z`);
  if (Number.isNaN(ms)) throw new ShapeError(`${provider} event with a bad "${field}": ${value}`);
  return ms;
}

/** The first non-empty string among the given paths, e.g. `error.message`, then `message`. */
export function firstString(body: Json | undefined, paths: string[]): string | undefined {
  for (const path of paths) {
    let node: Json | undefined = body;
    for (const part of path.split('.')) node = isObject(node) ? node[part] : undefined;
    if (typeof node === 'string' && node.trim() !== '') return node.trim();
  }
  return undefined;
}
