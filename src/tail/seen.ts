// The events tail has shown, by id, with the version shown: so a skipped poll answered from the
// mirror shows nothing twice. Bounded, so a tail left running for days keeps flat memory.

const LIMIT = 20_000;

export class SeenIds {
  private readonly shown = new Map<string, { updated: number; time: number }>();
  private newest = -Infinity;

  add(id: string, updated: number, time = updated): void {
    // Re-inserting moves the id to the back, so the oldest-shown ids are the ones forgotten.
    this.shown.delete(id);
    this.shown.set(id, { updated, time });
    this.newest = Math.max(this.newest, time);
    if (this.shown.size > LIMIT) {
      const oldest = this.shown.keys().next().value;
      if (oldest !== undefined) this.shown.delete(oldest);
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
