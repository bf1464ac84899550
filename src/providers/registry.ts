// Every provider the tool speaks, by name: adding one is a file beside this one and a line here.
import { blueai } from './blueai.js';
import { bem } from './bem.js';
import { close } from './close.js';
import { seam } from './seam.js';
import type { Provider, ProviderName } from './types.js';

export const PROVIDERS: Record<ProviderName, Provider> = {
  blueai,
  bem,
  close,
  seam,
};

export { PROVIDER_NAMES } from './names.js';

/** The provider called `name`, or undefined. */
export function providerNamed(name: string): Provider | undefined {
  return Object.hasOwn(PROVIDERS, name) ? PROVIDERS[name as ProviderName] : undefined;
}
