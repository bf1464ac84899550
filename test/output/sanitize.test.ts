// sanitize: every control a terminal would act on comes out as a visible escape, everything else as it was.
import { describe, expect, it } from 'vitest';
import { sanitize } from '../../src/output/sanitize.js';
import { HOSTILE_TYPE, HOSTILE_VALUE, unsafeIn } from '../support/hostile-text.js';

describe('sanitize', () => {
  it.each([
    ['plain ASCII', 'invoice.paid', 'invoice.paid'],
    ['empty', '', ''],
    ['tab and newline stay', 'a\tb\nc', 'a\tb\nc'],
    ['unicode text stays', 'café – 東京 ✓ 🎉 ↻ …', 'café – 東京 ✓ 🎉 ↻ …'],
    ['a backslash stays', 'C:\\path \\x1b', 'C:\\path \\x1b'],
    ['NUL', 'a\x00b', 'a\\x00b'],
    ['ESC of an OSC title, and its BEL', '\x1b]0;PWNED\x07', '\\x1b]0;PWNED\\x07'],
    ['CSI clear screen', '\x1b[2J', '\\x1b[2J'],
    ['backspace', 'abc\b\b', 'abc\\x08\\x08'],
    ['vertical tab and form feed', '\x0b\x0c', '\\x0b\\x0c'],
    ['CR, which could forge a line', 'ok\rforged', 'ok\\x0dforged'],
    ['unit separator (last C0)', '\x1f', '\\x1f'],
    ['space and ~ are not controls', ' ~', ' ~'],
    ['DEL', 'a\x7f', 'a\\x7f'],
    ['C1 NEL', '\u0085', '\\u0085'],
    ['C1 CSI', '\u009b2J', '\\u009b2J'],
    ['last C1', '\u009f', '\\u009f'],
    ['first after C1 stays (NBSP)', '\u00a0é', '\u00a0é'],
    ['LRE … RLO', '\u202a\u202b\u202c\u202d\u202e', '\\u202a\\u202b\\u202c\\u202d\\u202e'],
    ['isolates', '\u2066\u2067\u2068\u2069', '\\u2066\\u2067\\u2068\\u2069'],
    ['neighbours of the bidi ranges stay', '\u2029\u202f\u2065\u206a', '\u2029\u202f\u2065\u206a'],
    ['mixed', 'invoice.paid\x1b]0;PWNED\x07\x1b[2J', 'invoice.paid\\x1b]0;PWNED\\x07\\x1b[2J'],
  ])('%s', (_what, input, expected) => {
    expect(sanitize(input)).toBe(expected);
  });

  it('returns the very same string when there is nothing to escape', () => {
    const text = `clean ${'x'.repeat(1000)}`;
    expect(sanitize(text)).toBe(text);
  });

  it('leaves nothing unsafe in any of the hostile texts, and the same input always gives the same output', () => {
    for (const text of [HOSTILE_TYPE, HOSTILE_VALUE]) {
      expect(unsafeIn(sanitize(text))).toEqual([]);
      expect(sanitize(text)).toBe(sanitize(text));
    }
  });

  it('escapes every code point of the unsafe ranges and none around them', () => {
    for (let code = 0; code < 0x2100; code++) {
      const c = String.fromCharCode(code);
      const unsafe = (code < 0x20 && code !== 9 && code !== 10) || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
      expect(sanitize(c) !== c, `U+${code.toString(16)}`).toBe(unsafe);
    }
  });
});
