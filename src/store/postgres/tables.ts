// Migration 1 of the PostgreSQL mirror: its tables, created inside the mirror's own schema
// (search_path). Text keys compare bytewise (COLLATE "C"): the `prefix.*` type range is exact, and
// ids sort as they do in SQLite.

export const TABLES = String.raw`
  -- Ours, and which version: a schema without this table (or with another app's) is not a mirror.
  CREATE TABLE schema_version (
    app     text PRIMARY KEY CHECK (app = 'events'),
    version int  NOT NULL
  );

  -- One row per profile. Writers of a profile's events lock its row and take revisions from
  -- last_rev, so revisions grow in commit order (a sequence would hand them out in start order).
  CREATE TABLE profiles (
    profile_id   int    GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile      text   COLLATE "C" NOT NULL UNIQUE,
    provider     text   NOT NULL DEFAULT '',
    last_sync    bigint,
    last_ok      bigint,
    last_error   text,
    remote_total bigint,
    last_rev     bigint NOT NULL DEFAULT 0
  );

  -- No foreign key to profiles here or in versions: only commit_page writes them, with a key from
  -- profile_key, and a check per row cost about a sixth of a page commit.
  CREATE TABLE events (
    profile_id int    NOT NULL,
    id         text   COLLATE "C" NOT NULL,
    type       text   COLLATE "C" NOT NULL,
    time       bigint NOT NULL,               -- epoch ms
    updated    bigint NOT NULL,
    object     text   COLLATE "C",
    raw        json   NOT NULL,               -- json, not jsonb: the provider's text byte for byte
    seq        bigint GENERATED ALWAYS AS IDENTITY, -- arrival order breaks ties in time
    rev        bigint NOT NULL,               -- the profile's revision of this version
    seen       bigint NOT NULL,               -- when the mirror stored it, epoch ms
    -- Text with a \u0000 or a lone surrogate escape is valid json but breaks #>> on the whole
    -- row; such rows take a slower, tolerant path in --where (query.ts).
    awkward    boolean GENERATED ALWAYS AS (strpos(raw::text, '\u') > 0 AND raw::text ~ '\\u(0000|[dD][89a-fA-F])') STORED,
    PRIMARY KEY (profile_id, id)
  );
  CREATE INDEX events_by_time   ON events (profile_id, time DESC, seq);
  CREATE INDEX events_by_type   ON events (profile_id, type, time DESC);
  CREATE INDEX events_by_object ON events (profile_id, object, time DESC) WHERE object IS NOT NULL;
  CREATE INDEX events_by_rev    ON events (profile_id, rev);

  -- The versions an update replaced; the current one is in events.
  CREATE TABLE versions (
    profile_id int    NOT NULL,
    id         text   COLLATE "C" NOT NULL,
    rev        bigint NOT NULL,
    type       text   COLLATE "C" NOT NULL,
    time       bigint NOT NULL,
    updated    bigint NOT NULL,
    object     text   COLLATE "C",
    seen       bigint NOT NULL,
    raw        json   NOT NULL,
    PRIMARY KEY (profile_id, id, rev)
  );
  CREATE INDEX versions_by_rev ON versions (profile_id, rev);

  -- Ranges [lo, hi] of updated times held completely; lo NULL reaches the oldest event.
  CREATE TABLE coverage (
    profile_id int    NOT NULL REFERENCES profiles,
    lo         bigint,
    hi         bigint NOT NULL
  );
  CREATE INDEX coverage_by_profile ON coverage (profile_id, hi);

  -- Walks under way; next is json (not jsonb) so a position round-trips as it was written.
  CREATE TABLE walks (
    walk_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile_id int    NOT NULL REFERENCES profiles,
    kind       text   NOT NULL CHECK (kind IN ('head', 'backfill')),
    upper      bigint NOT NULL,
    floor      bigint,
    next       json   NOT NULL,
    reached    bigint,
    pages      int    NOT NULL DEFAULT 0,
    fetched    int    NOT NULL DEFAULT 0,
    started    bigint NOT NULL
  );
  CREATE INDEX walks_by_profile ON walks (profile_id);

  CREATE TABLE consumers (
    name          text   COLLATE "C" NOT NULL,
    profile_id    int    NOT NULL REFERENCES profiles,
    rev           bigint NOT NULL DEFAULT 0,
    acked_at      bigint,
    last_delivery bigint,
    failures      int    NOT NULL DEFAULT 0,
    last_error    text,
    PRIMARY KEY (name, profile_id)
  );
  `;
