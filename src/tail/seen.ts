// The events tail has shown, by id, with the version shown: so a skipped poll answered from the
// mirror shows nothing twice. Bounded, so a tail left running for days keeps flat memory.

/** At least this many of the latest shown are remembered, and at most twice as many. */
const KEEP = 20_000;

export class SeenIds {
  private readonly shown = new Map<string, { updated: number; time: number }>();
  private newest = -Infinity;

  add(id: string, updated: number, time = updated): void {
    // Re-inserting moves the id to the back, so the oldest-shown ids are the ones forgotten.
    this.shown.delete(id);
    this.shown.set(id, { updated, time });
    this.newest = Math.max(this.newest, time);
    // Forgotten KEEP at a time: a Map's first key is found by stepping over the entries deleted
    // before it, so forgetting one per add (a million-event --since replay) grew slower and slower.
    if (this.shown.size >= 2 * KEEP) {
      let forget = this.shown.size - KEEP;
      for (const oldest of this.shown.keys()) {
        if (forget-- === 0) break;
        this.shown.delete(oldest);
      }
    }
  }

  /** The `updated` time of the version shown, or undefined if the event was not shown. */
  updatedOf(id: string): number | undefined {
    return this.shown.get(id)?.updated;
  }

  /** The time of the newest event shown (-Infinity before any). */
  newestTime(): number {
    return this.newest;
  }
}
