// The exact source text of values inside a JSON document, without parsing it again: each event of
// a page is stored as the provider wrote it (numbers, escapes, key order), sliced out of the
// response text. A loop with a depth counter rather than recursion, so no nesting can overflow
// the stack; strings are skipped with indexOf. The input is text JSON.parse has accepted already:
// anything else gives undefined, never a guess.

/** One value's text and how deeply it nests (0 for a scalar, 1 for `[]` or `{"a":1}`). */
export interface Span {
  text: string;
  depth: number;
}

/** Characters between tokens (RFC 8259 whitespace). */
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The index just past the string whose opening quote is at `i`; -1 if it never closes. */
function stringEnd(text: string, i: number): number {
  for (let j = text.indexOf('"', i + 1); j !== -1; j = text.indexOf('"', j + 1)) {
    let k = j - 1;
    while (text.charCodeAt(k) === 0x5c) k--;
    // An even run of backslashes before the quote escapes only itself.
    if ((j - 1 - k) % 2 === 0) return j + 1;
  }
  return -1;
}

/** The deepest nesting of the last value measured by valueEnd. */
let lastDepth = 0;

/** The index just past the value starting at `i` (its depth in lastDepth); -1 when malformed. */
function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  lastDepth = 0;
  if (c === 0x22) return stringEnd(text, i);
  if (c !== 0x7b && c !== 0x5b) {
    // A number or literal runs to the next delimiter.
    let j = i;
    while (j < text.length) {
      const d = text.charCodeAt(j);
      if (d === 0x2c || d === 0x5d || d === 0x7d || isSpace(d)) break;
      j++;
    }
    return j > i ? j : -1;
  }
  let depth = 0;
  let deepest = 0;
  for (let j = i; j < text.length; j++) {
    const d = text.charCodeAt(j);
    if (d === 0x22) {
      j = stringEnd(text, j) - 1;
      if (j < 0) return -1;
    } else if (d === 0x7b || d === 0x5b) {
      if (++depth > deepest) deepest = depth;
    } else if (d === 0x7d || d === 0x5d) {
      if (--depth === 0) {
        lastDepth = deepest;
        return j + 1;
      }
    }
  }
  return -1;
}

/** Where the value at `path` (object keys from the root) starts; -1 when absent or malformed. */
function locate(text: string, path: readonly string[]): number {
  let at = skipSpace(text, 0);
  for (const want of path) {
    if (text.charCodeAt(at) !== 0x7b) return -1;
    let found = -1;
    let i = skipSpace(text, at + 1);
    if (text.charCodeAt(i) === 0x7d) return -1;
    for (;;) {
      if (text.charCodeAt(i) !== 0x22) return -1;
      const keyEnd = stringEnd(text, i);
      if (keyEnd < 0) return -1;
      const raw = text.slice(i + 1, keyEnd - 1);
      const key = raw.includes('\\') ? (JSON.parse(text.slice(i, keyEnd)) as string) : raw;
      i = skipSpace(text, keyEnd);
      if (text.charCodeAt(i) !== 0x3a) return -1;
      i = skipSpace(text, i + 1);
      // A repeated key: JSON.parse keeps the last one, and so does this.
      if (key === want) found = i;
      const end = valueEnd(text, i);
      if (end < 0) return -1;
      i = skipSpace(text, end);
      const c = text.charCodeAt(i);
      if (c === 0x2c) i = skipSpace(text, i + 1);
      else if (c === 0x7d) break;
      else return -1;
    }
    if (found < 0) return -1;
    at = found;
  }
  return at;
}

/** The value at `path` in a JSON document, as its own text; undefined when it is not there. */
export function valueSpan(text: string, path: readonly string[]): Span | undefined {
  const start = locate(text, path);
  if (start < 0) return undefined;
  const end = valueEnd(text, start);
  return end < 0 ? undefined : { text: text.slice(start, end), depth: lastDepth };
}

/** Each element of the array at `path`, as its own text; undefined when there is no array there. */
export function arraySpans(text: string, path: readonly string[]): Span[] | undefined {
  const start = locate(text, path);
  if (start < 0 || text.charCodeAt(start) !== 0x5b) return undefined;
  const out: Span[] = [];
  let i = skipSpace(text, start + 1);
  if (text.charCodeAt(i) === 0x5d) return out;
  for (;;) {
    const end = valueEnd(text, i);
    if (end < 0) return undefined;
    out.push({ text: text.slice(i, end), depth: lastDepth });
    i = skipSpace(text, end);
    const c = text.charCodeAt(i);
    if (c === 0x2c) i = skipSpace(text, i + 1);
    else if (c === 0x5d) return out;
    else return undefined;
  }
}

/** How deeply a JSON text nests (0 for a scalar); -1 when it is not one value. */
export function nesting(text: string): number {
  const start = skipSpace(text, 0);
  return valueEnd(text, start) < 0 ? -1 : lastDepth;
}
