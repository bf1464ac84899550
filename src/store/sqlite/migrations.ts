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
  // 2: the change log. Every insert or change of an event takes its profile's next revision
  // (profiles.last_rev), and the version an update replaces is kept in versions, so history,
  // durable consumers and forward can read what changed since a revision. Existing events get
  // their arrival order as revision. Durable consumers keep their position here too.
  `
  ALTER TABLE profiles ADD COLUMN last_rev INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE events ADD COLUMN rev  INTEGER NOT NULL DEFAULT 0;  -- the profile's revision of this version
  ALTER TABLE events ADD COLUMN seen INTEGER NOT NULL DEFAULT 0;  -- when the mirror stored it, epoch ms
  UPDATE events SET rev = seq, seen = updated;
  UPDATE profiles SET last_rev = coalesce((SELECT max(rev) FROM events e WHERE e.profile_id = profiles.profile_id), 0);
  CREATE INDEX events_by_rev ON events (profile_id, rev);

  -- The versions an upsert replaced (Close rewrites events in place); the current one is in events.
  CREATE TABLE versions (
    profile_id INTEGER NOT NULL,
    id         TEXT    NOT NULL,
    rev        INTEGER NOT NULL,
    updated    INTEGER NOT NULL,
    seen       INTEGER NOT NULL,
    raw        TEXT    NOT NULL,
    PRIMARY KEY (profile_id, id, rev)
  ) WITHOUT ROWID;

  -- Walk ids are never reused (AUTOINCREMENT), so a sync that lost its walk to another one can
  -- tell: a new walk never takes the id of a deleted one.
  CREATE TABLE walks_v2 (
    walk_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    profile   TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    upper     INTEGER NOT NULL,
    floor     INTEGER,
    next      TEXT    NOT NULL,
    reached   INTEGER,
    pages     INTEGER NOT NULL DEFAULT 0,
    fetched   INTEGER NOT NULL DEFAULT 0,
    started   INTEGER NOT NULL
  );
  INSERT INTO walks_v2 SELECT walk_id, profile, kind, upper, floor, next, reached, pages, fetched, started FROM walks;
  DROP TABLE walks;
  ALTER TABLE walks_v2 RENAME TO walks;

  -- Durable consumers: the last revision each one acknowledged, per profile.
  CREATE TABLE consumers (
    name          TEXT    NOT NULL,
    profile_id    INTEGER NOT NULL,
    rev           INTEGER NOT NULL DEFAULT 0,
    acked_at      INTEGER,
    last_delivery INTEGER,
    failures      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    PRIMARY KEY (name, profile_id)
  );
  `,
  // 3 (full text): an FTS5 index over the string values of each raw event (never its keys). It
  // is contentless (the text is the raw event's, read in events.ts), and its rows are written by
  // the same upserts as the events, in the same transactions: a trigger running json_tree per
  // row tripled a sync's time, where the string values taken from the event already parsed in
  // JavaScript cost a fraction. contentless_delete lets a changed event's entry be replaced by
  // rowid, without repeating its old text. Built here for the events a mirror already holds.
  `
  CREATE VIRTUAL TABLE events_fts USING fts5(body, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0', detail = 'full');
  CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
    DELETE FROM events_fts WHERE rowid = old.seq;
  END;
  INSERT INTO events_fts (rowid, body)
    SELECT seq, (SELECT group_concat(value, ' ') FROM json_tree(events.raw) WHERE type = 'text') FROM events;
  `,
  // 4: the provider's clock skew measured at the last sync, for `status`.
  `
  ALTER TABLE profiles ADD COLUMN skew_ms INTEGER;  -- provider clock minus this machine's, ms
  `,
  // 5 (scale): what lets a query's cost not grow with the mirror, and a smaller mirror.
  //  - type_counts: the events of each profile per type, kept in the transaction that writes
  //    them (upsertPages adds up a transaction's counts and writes each type once: a trigger per
  //    row cost a fifth of a sync; deletes, which only prune makes, take a trigger). status sums a
  //    profile's few rows instead of counting a million index entries, stats --by type reads it,
  //    and a `prefix.*` pattern becomes the exact types it stands for, each a seek on
  //    events_by_type already in time order (a range over several types was sorted whole).
  //  - The search index keeps which events hold a token and not where (detail=none): 40 bytes an
  //    event instead of 85. A phrase is then found as its words, and the events found are checked
  //    for the words in order (events_phrases, registered in open.ts).
  //  - The time indexes ascend: events arrive in time order once a mirror is synced, and
  //    entries added at the front of a descending index's range split pages in half (half-empty
  //    pages, 60 bytes an event for events_by_type where 36 do). Newest first is the same index
  //    read backwards; only ties in time are sorted (by seq, the order they arrived).
  //  - pruned_before: `events prune` removed this profile's events older than it.
  `
  CREATE TABLE type_counts (
    profile_id INTEGER NOT NULL,
    type       TEXT    NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (profile_id, type)
  ) WITHOUT ROWID;
  INSERT INTO type_counts (profile_id, type, n) SELECT profile_id, type, count(*) FROM events GROUP BY profile_id, type;
  CREATE TRIGGER events_count_delete AFTER DELETE ON events BEGIN
    UPDATE type_counts SET n = n - 1 WHERE profile_id = old.profile_id AND type = old.type;
  END;

  DROP TABLE events_fts;
  CREATE VIRTUAL TABLE events_fts USING fts5(body, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0', detail = 'none');
  INSERT INTO events_fts (rowid, body)
    SELECT seq, (SELECT group_concat(value, ' ') FROM json_tree(events.raw) WHERE type = 'text') FROM events;

  DROP INDEX events_by_time;
  DROP INDEX events_by_type;
  DROP INDEX events_by_object;
  CREATE INDEX events_by_time   ON events (profile_id, time);
  CREATE INDEX events_by_type   ON events (profile_id, type, time);
  CREATE INDEX events_by_object ON events (profile_id, object, time);

  ALTER TABLE profiles ADD COLUMN pruned_before INTEGER;  -- events before it were pruned, epoch ms
  `,
  // 6 (size): an event's row stops repeating what its raw text already says. The id and the type
  // are kept in stored_id and stored_type only when the raw event does not hold them at $.id and
  // $.type (as SQLite reads them: the test is made by SQLite at each write, so a row reads back
  // exactly what was written); otherwise they are NULL, which a record stores in no bytes, and the
  // columns id and type read them from raw. updated is kept as its difference from time, 0 for
  // almost every event. A synced BlueAI mirror's row loses 60 of its 410 bytes; reads and the
  // indexes see the same columns as before. The rows keep their seq (the search entries' rowid).
  `
  DROP TRIGGER events_fts_delete;
  DROP TRIGGER events_count_delete;
  CREATE TABLE events_v6 (
    seq         INTEGER PRIMARY KEY,
    profile_id  INTEGER NOT NULL,
    stored_id   TEXT,                -- NULL: the id is raw's $.id
    stored_type TEXT,                -- NULL: the type is raw's $.type
    time        INTEGER NOT NULL,
    updated_lag INTEGER NOT NULL,    -- updated minus time
    object      TEXT,
    raw         TEXT    NOT NULL,
    rev         INTEGER NOT NULL,
    seen        INTEGER NOT NULL,
    id      TEXT    NOT NULL GENERATED ALWAYS AS (coalesce(stored_id, raw ->> '$.id')) VIRTUAL,
    type    TEXT    NOT NULL GENERATED ALWAYS AS (coalesce(stored_type, raw ->> '$.type')) VIRTUAL,
    updated INTEGER NOT NULL GENERATED ALWAYS AS (time + updated_lag) VIRTUAL,
    UNIQUE (profile_id, id)
  );
  INSERT INTO events_v6 (seq, profile_id, stored_id, stored_type, time, updated_lag, object, raw, rev, seen)
    SELECT seq, profile_id,
      CASE WHEN NOT json_valid(raw) THEN id WHEN raw ->> '$.id' IS id THEN NULL ELSE id END,
      CASE WHEN NOT json_valid(raw) THEN type WHEN raw ->> '$.type' IS type THEN NULL ELSE type END,
      time, updated - time, object, raw, rev, seen
    FROM events ORDER BY seq;
  DROP TABLE events;
  ALTER TABLE events_v6 RENAME TO events;
  CREATE INDEX events_by_time   ON events (profile_id, time);
  CREATE INDEX events_by_type   ON events (profile_id, type, time);
  CREATE INDEX events_by_object ON events (profile_id, object, time);
  CREATE INDEX events_by_rev    ON events (profile_id, rev);
  CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
    DELETE FROM events_fts WHERE rowid = old.seq;
  END;
  CREATE TRIGGER events_count_delete AFTER DELETE ON events BEGIN
    UPDATE type_counts SET n = n - 1 WHERE profile_id = old.profile_id AND type = old.type;
  END;
  `,
];
