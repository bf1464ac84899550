// The providers' names without the providers: the command tree offers them to `profile add
// --provider`, and importing the registry there put every provider module on the path of `--help`.
import type { BuiltinName } from './types.js';

// `satisfies` makes a name missing from (or unknown to) BuiltinName a compile error.
const NAMES = { blueai: true, bem: true, close: true, seam: true } satisfies Record<BuiltinName, true>;

/** The built-in providers; described ones live in the config dir (src/providers/described/saved.ts). */
export const PROVIDER_NAMES = Object.keys(NAMES) as BuiltinName[];
