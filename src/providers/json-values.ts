// The string values of a parsed event (never its keys), in document order: what both search
// indexes hold and what --search over events in memory reads. A loop over an explicit stack, not
// recursion, so an event nested ten thousand levels deep is read like any other.
import type { Json } from './types.js';

export function stringValues(value: Json): string[] {
  const out: string[] = [];
  const stack: Json[] = [value];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (typeof node === 'string') out.push(node);
    else if (Array.isArray(node)) for (let i = node.length - 1; i >= 0; i--) stack.push(node[i]!);
    else if (node !== null && typeof node === 'object') {
      const values = Object.values(node);
      for (let i = values.length - 1; i >= 0; i--) stack.push(values[i]!);
    }
  }
  return out;
}
