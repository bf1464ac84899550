// Every provider the tool speaks, by name: the built-ins (a file beside this one and a line here),
// then the described ones saved in the config dir (`events provider add`).
import { blueai } from './blueai.js';
import { bem } from './bem.js';
import { close } from './close.js';
import { seam } from './seam.js';
import { savedProvider } from './described/saved.js';
import type { BuiltinName, Provider } from './types.js';

export const PROVIDERS: Record<BuiltinName, Provider> = {
  blueai,
  bem,
  close,
  seam,
};

export { PROVIDER_NAMES } from './names.js';

/** The provider called `name` (built in, else described in `env`'s config dir), or undefined. */
export function providerNamed(name: string, env: Record<string, string | undefined> = process.env): Provider | undefined {
  return Object.hasOwn(PROVIDERS, name) ? PROVIDERS[name as BuiltinName] : savedProvider(name, env);
}
