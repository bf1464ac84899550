// The search entries, written behind the commits (migration 7): after each commit the writer
// asks for the profile's new events to be indexed, on a session of this indexer's own, and goes
// on with its next pages while the server indexes these. Asks made meanwhile are one run after
// it, so the entries are made in batches as large as the writer outpaces them. A search never
// waits for it: the events not yet indexed are read from their text (search.ts).
import type { Session } from './session.js';

export class SearchIndexer {
  private session: Session | undefined;
  private running: Promise<void> | undefined;
  private readonly due = new Set<string>();

  constructor(private readonly open: () => Promise<Session>) {}

  /** Indexes what `profile` has committed so far, in the background. */
  request(profile: string): void {
    this.due.add(profile);
    this.running ??= this.run();
  }

  private async run(): Promise<void> {
    try {
      // A profile asked for again while it is indexed is visited again, after the others.
      for (const profile of this.due) {
        this.due.delete(profile);
        this.session ??= await this.open();
        await this.session.query('SELECT index_search($1)', [profile]);
      }
    } catch {
      // The search stays exact without the entries (it reads the events above indexed_rev),
      // only slower; the next request makes them.
      this.due.clear();
    } finally {
      this.running = undefined;
    }
  }

  /** Waits for the runs asked for, so a writer leaves its events indexed; ends the session. */
  async close(): Promise<void> {
    while (this.running) await this.running;
    await this.session?.end();
    this.session = undefined;
  }
}
