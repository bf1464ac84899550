// Dotted paths into JSON (`data.object.id`), split once when a description is built: normalize
// runs them on every event of a sync.
import { isObject } from '../fields.js';
import type { Json } from '../types.js';

export type Getter = (value: Json | undefined) => Json | undefined;

/** A reader of `path` ("" reads the value itself). */
export function getter(path: string): Getter {
  if (path === '') return (value) => value;
  const parts = path.split('.');
  if (parts.length === 1) {
    const key = parts[0]!;
    return (value) => (isObject(value) ? value[key] : undefined);
  }
  return (value) => {
    let node = value;
    for (const part of parts) {
      if (!isObject(node)) return undefined;
      node = node[part];
    }
    return node;
  };
}

/** A string or a number at a path as text; undefined when absent, empty or of another kind. */
export function text(value: Json | undefined): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
