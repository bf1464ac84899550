// The mirror's schema, as a list of migrations. PRAGMA user_version records how many have run;
// a new version of the schema is a new entry at the end, never an edit of a released one.

export const MIGRATIONS: readonly string[] = [
  // 1: events, and what the mirror knows about its own completeness.
  `
  -- One row per profile: its short key for the events table, and what status reports.
  CREATE TABLE profiles (
    profile_id   INTEGER PRIMARY KEY,
    profile      TEXT    NOT NULL UNIQUE,
    provider     TEXT    NOT NULL DEFAULT '',
    last_sync    INTEGER,          -- when the last sync finished (ok or not)
    last_ok      INTEGER,          -- when the last sync completed
    last_error   TEXT,
    remote_total INTEGER           -- a count the provider reported (bem totalCount)
  );

  -- Events are keyed by (profile_id, id): a small integer rather than the profile's name, because the
  -- key stands in every index entry and index writes are most of what a sync costs.
  -- Each index ends, implicitly, with seq: the insertion order breaks ties in time.
  CREATE TABLE events (
    seq      INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL,
    id       TEXT    NOT NULL,
    type     TEXT    NOT NULL,
    time     INTEGER NOT NULL,   -- when it happened, epoch ms UTC
    updated  INTEGER NOT NULL,   -- when the provider last changed it (Close consolidation)
    object   TEXT,               -- the id of the object it is about
    raw      TEXT    NOT NULL,   -- the event as the provider returned it
    UNIQUE (profile_id, id)
  );
  CREATE INDEX events_by_time   ON events (profile_id, time DESC);
  CREATE INDEX events_by_type   ON events (profile_id, type, time DESC);
  CREATE INDEX events_by_object ON events (profile_id, object, time DESC);

  -- Time ranges [lo, hi] (epoch ms, on the updated time) the mirror holds completely.
  -- lo NULL: down to the oldest event the provider serves.
  CREATE TABLE coverage (
    profile TEXT    NOT NULL,
    lo      INTEGER,
    hi      INTEGER NOT NULL
  );
  CREATE INDEX coverage_by_profile ON coverage (profile, hi);

  -- Walks under way: each resumes from the request it saved with its last committed page.
  CREATE TABLE walks (
    walk_id   INTEGER PRIMARY KEY,
    profile   TEXT    NOT NULL,
    kind      TEXT    NOT NULL,   -- 'head' (new events) or 'backfill' (older history)
    upper     INTEGER NOT NULL,   -- the walk covers (floor, upper]
    floor     INTEGER,            -- NULL: to the end of history
    next      TEXT    NOT NULL,   -- JSON ApiRequest of the next page
    reached   INTEGER,            -- oldest updated time seen so far
    pages     INTEGER NOT NULL DEFAULT 0,
    fetched   INTEGER NOT NULL DEFAULT 0,
    started   INTEGER NOT NULL
  );

  -- Who is syncing a profile right now (a process id), so two syncs never walk the same pages at once.
  CREATE TABLE locks (
    profile  TEXT PRIMARY KEY,
    pid      INTEGER NOT NULL,
    since    INTEGER NOT NULL
  );
  `,
];
