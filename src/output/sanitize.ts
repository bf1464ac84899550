// Event content and provider text are untrusted: a type holding ESC ] 0 ; … BEL would retitle the
// terminal, ESC [ 2 J would clear it, U+202E would show text reversed. Everything shown to a person
// passes sanitize(), which writes such characters as visible escapes (\x1b, \x7f, \u009b, \u202e),
// never raw. Tab and newline stay (they only lay text out); CR is escaped, as it can overwrite a line
// and so forge one. Everything else, any other unicode included, is left as it is.
//
// A literal backslash is left alone, so `\x1b` on screen may be those four characters or an escaped
// ESC. Doubling every backslash would make it unambiguous but would double the escapes of JSON text
// too (the raw-JSON pane, history's values), which people read far more often; since no control byte
// reaches the terminal either way, the display stays safe.
//
// JSON and NDJSON output never pass here: it is the provider's own text, exact, for programs.

/** The characters sanitize escapes: C0 but tab and LF, DEL, C1, bidi embeddings/overrides/isolates. */
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

const escape = (c: string): string => {
  const code = c.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** `text` safe to write to a terminal; the same string when it holds nothing to escape. */
export function sanitize(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escape) : text;
}
