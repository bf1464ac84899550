// Colour by type family (the part before the first dot): the same family always gets the same
// colour, so invoice.* and crm.* stand apart at a glance. Plain text when colour is off.

const PALETTE = [36, 32, 33, 35, 34, 91, 96, 92, 93, 95];

/** The ANSI colour code of a type's family. */
export function familyColor(type: string): number {
  const family = type.split('.')[0] ?? type;
  let hash = 0;
  for (let i = 0; i < family.length; i++) hash = (hash * 31 + family.charCodeAt(i)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}

export function paint(text: string, code: number, enabled: boolean): string {
  return enabled ? `\x1b[${code}m${text}\x1b[39m` : text;
}

export const bold = (text: string, enabled: boolean): string => (enabled ? `\x1b[1m${text}\x1b[22m` : text);
