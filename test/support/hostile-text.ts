// Text an attacker could put in an event's type or payload to take over a person's terminal, for
// any test of what the CLI shows. Each piece is a real attack: a title change (OSC 0), a screen
// clear (CSI 2J), an 8-bit CSI (U+009B), a bell, backspaces and DEL that rub out what came before,
// a CR that overwrites its line, and a right-to-left override that shows text reversed.

export const ESC = '\x1b';
/** OSC 0: sets the terminal's (tmux: the pane's) title to PWNED. */
export const SET_TITLE = '\x1b]0;PWNED\x07';
/** CSI 2 J: clears the screen. */
export const CLEAR_SCREEN = '\x1b[2J';
/** The 8-bit CSI (C1) form of "clear the screen". */
export const C1_CLEAR = '\u009b2J';
export const BELL = '\x07';
export const BACKSPACES = '\b\b\b\b';
export const DEL = '\x7f';
/** Right-to-left override: `paid` after it shows as `diap`. */
export const RLO = '\u202e';
/** First strong isolate … pop directional isolate. */
export const ISOLATES = '\u2068x\u2069';

/** A type meant to retitle the terminal and clear its screen when shown. */
export const HOSTILE_TYPE = `invoice.paid${SET_TITLE}${CLEAR_SCREEN}`;
/** A second hostile type, of C1, backspace, DEL and bidi controls. */
export const HOSTILE_TYPE_2 = `crm.deal${C1_CLEAR}${BACKSPACES}${DEL}${RLO}evil${ISOLATES}`;
/** A payload value carrying every one of them, with a forged line after a CR. */
export const HOSTILE_VALUE = `ok${SET_TITLE}${CLEAR_SCREEN}${C1_CLEAR}${BELL}${BACKSPACES}${DEL}\rforged${RLO}diap${ISOLATES}`;

/**
 * The characters that must never reach a terminal raw: C0 controls but tab and newline, DEL, C1,
 * and the bidi embeddings, overrides and isolates.
 */
export const UNSAFE_ON_SCREEN = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/** The unsafe characters in `text`, as code points (for a readable failure). */
export function unsafeIn(text: string): string[] {
  return [...text].filter((c) => UNSAFE_ON_SCREEN.test(c)).map((c) => `U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}
