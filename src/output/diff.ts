// What changed between two versions of an event, by JSON path (`data.status_label`), leaves only:
// a changed value, an added path, a removed one. Arrays index by position (`items.0.sku`).
import type { Json } from '../providers/types.js';

export interface PathChange {
  path: string;
  op: 'changed' | 'added' | 'removed';
  from?: Json;
  to?: Json;
}

/**
 * Every leaf of `value` by its dotted path; an empty object or array is a leaf of its own. A loop
 * over an explicit stack, so an event nested ten thousand levels deep is diffed like any other.
 */
export function leaves(value: Json, prefix = '', out = new Map<string, Json>()): Map<string, Json> {
  const stack: Array<[string, Json]> = [[prefix, value]];
  while (stack.length > 0) {
    const [path, node] = stack.pop()!;
    const entries = Array.isArray(node)
      ? node.map((v, i) => [String(i), v] as const)
      : node !== null && typeof node === 'object'
        ? Object.entries(node)
        : undefined;
    if (entries === undefined || entries.length === 0) {
      out.set(path, node);
      continue;
    }
    // Pushed last to first, so the leaves come out in document order.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, v] = entries[i]!;
      stack.push([path === '' ? k : `${path}.${k}`, v as Json]);
    }
  }
  return out;
}

/** The changes from `before` to `after`, in the order the paths appear (after's, then removed ones). */
export function diffJson(before: Json, after: Json): PathChange[] {
  const a = leaves(before);
  const b = leaves(after);
  const changes: PathChange[] = [];
  for (const [path, to] of b) {
    if (!a.has(path)) changes.push({ path, op: 'added', to });
    else if (JSON.stringify(a.get(path)) !== JSON.stringify(to)) changes.push({ path, op: 'changed', from: a.get(path)!, to });
  }
  for (const [path, from] of a) if (!b.has(path)) changes.push({ path, op: 'removed', from });
  return changes;
}
