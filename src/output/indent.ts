// JSON text indented for people (`get` on a terminal, tail's raw view), made from the text itself
// rather than from a parse and JSON.stringify: numbers and escapes stay as the provider wrote
// them, and a loop, not recursion, so no nesting overflows. Past MAX_INDENT levels the rest of a
// value stays on its line: ten thousand levels would otherwise print a hundred million spaces.
const MAX_INDENT = 40;

/** `text` (valid JSON) with two spaces per level and one member or element a line. */
export function indentJson(text: string): string {
  const out: string[] = [];
  let depth = 0;
  const newline = () => (depth <= MAX_INDENT ? `\n${'  '.repeat(depth)}` : '');
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = text.indexOf('"', i + 1);
      while (j !== -1) {
        let k = j - 1;
        while (text[k] === '\\') k--;
        if ((j - 1 - k) % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      const end = j === -1 ? text.length : j + 1;
      out.push(text.slice(i, end));
      i = end;
      continue;
    }
    if (c === '{' || c === '[') {
      // An empty object or array stays `{}` / `[]`.
      let k = i + 1;
      while (k < text.length && ' \n\r\t'.includes(text[k]!)) k++;
      if (text[k] === (c === '{' ? '}' : ']')) {
        out.push(c === '{' ? '{}' : '[]');
        i = k + 1;
        continue;
      }
      depth++;
      out.push(c, newline());
    } else if (c === '}' || c === ']') {
      depth--;
      out.push(newline(), c);
    } else if (c === ',') out.push(',', newline());
    else if (c === ':') out.push(': ');
    else if (!' \n\r\t'.includes(c)) out.push(c);
    i++;
  }
  return out.join('');
}
