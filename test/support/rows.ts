// Rows for tests that store events directly: the columns a provider's normalize gives, and the
// text the mirror keeps (what a test's own object serialises to, as a fake would serve it).
import { PROVIDERS } from '../../src/providers/registry.js';
import type { EventColumns, EventRow, JsonObject, BuiltinName } from '../../src/providers/types.js';

export function withText(columns: EventColumns): EventRow {
  return { ...columns, text: JSON.stringify(columns.raw) };
}

/** One raw event as `provider` would store it from a page. */
export function normalized(provider: BuiltinName, raw: JsonObject): EventRow {
  return withText(PROVIDERS[provider].normalize(raw));
}
