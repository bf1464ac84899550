// What an engine can do, as its store reports it: callers choose how to use a mirror by these,
// never by which engine it is.

export interface Capabilities {
  /** Syncs of several profiles may run on one store at once; otherwise they take turns. */
  readonly parallelSyncs: boolean;
  /**
   * A prune gives the freed space back to the file system, so sizeOnDisk shrinks; otherwise
   * later writes reuse it and the files keep their size.
   */
  readonly pruneShrinksFiles: boolean;
  /**
   * The most rows a sync commits in one transaction (it also commits every quarter second). Each
   * commit rewrites the index pages it touches, so fewer, larger ones write less; a batch is held
   * in memory until it lands, which bounds how large is worth it.
   */
  readonly batchRows: number;
}
