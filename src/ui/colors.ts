// Ink colour names for the ANSI codes of src/output/color.ts, so list's table and tail's view give
// a type family the same colour.
import { familyColor } from '../output/color.js';
import type { TailState } from '../tail/types.js';

const NAMES: Record<number, string> = {
  31: 'red',
  32: 'green',
  33: 'yellow',
  34: 'blue',
  35: 'magenta',
  36: 'cyan',
  91: 'redBright',
  92: 'greenBright',
  93: 'yellowBright',
  94: 'blueBright',
  95: 'magentaBright',
  96: 'cyanBright',
};

/** The colour of a type's family, or undefined when colour is off. */
export function typeColor(type: string, color: boolean): string | undefined {
  return color ? NAMES[familyColor(type)] : undefined;
}

/** The colour of the state's dot in the header. */
export function stateColor(state: TailState, color: boolean): string | undefined {
  if (!color) return undefined;
  return state.kind === 'live' ? 'green' : state.kind === 'failing' ? 'red' : 'yellow';
}
