// The filters of replay and forward for events held in memory (forward reads the change log, which
// the mirror's query does not filter): filter.ts's rule, --search included.
import { rowMatches } from '../store/filter.js';
import type { JsonObject } from '../providers/types.js';
import type { EventFilter, StoredEvent } from '../store/contract.js';

/** A predicate over stored events for `filter` (its profile aside). */
export function eventMatcher(filter: Omit<EventFilter, 'profile'>, warn?: (line: string) => void): (event: StoredEvent) => boolean {
  return (event) => rowMatches({ ...event, raw: JSON.parse(event.raw) as JsonObject }, filter, warn);
}
