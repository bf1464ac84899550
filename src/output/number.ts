// Numbers for people: 100000 → "100,000". Not toLocaleString: its first call loads ICU's number
// formatting, about 30 ms that `list` would pay on every run for one note.

/** `n` with a comma between each group of three digits. */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
