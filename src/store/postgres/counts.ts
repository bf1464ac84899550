// Migration 5 of the PostgreSQL mirror (scale): the events of each profile per type, kept by
// statement triggers in the transaction that writes the events (one grouped upsert per statement,
// not one per row). status sums a profile's few rows instead of counting a million, stats --by
// type reads them, and a `prefix.*` pattern becomes the exact types it stands for, each a seek on
// events_by_type already in time order. pruned_before: `events prune` removed the profile's events
// older than it. A profile's writers hold its row lock (commit_page), so its counts never race.
export const COUNTS_MIGRATION = String.raw`
  CREATE TABLE type_counts (
    profile_id int    NOT NULL,
    type       text   COLLATE "C" NOT NULL,
    n          bigint NOT NULL,
    PRIMARY KEY (profile_id, type)
  );
  INSERT INTO type_counts (profile_id, type, n) SELECT profile_id, type, count(*) FROM events GROUP BY profile_id, type;

  CREATE FUNCTION count_types() RETURNS trigger
  LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      UPDATE type_counts c SET n = c.n - o.n
        FROM (SELECT profile_id, type, count(*) AS n FROM old_rows GROUP BY profile_id, type) o
       WHERE c.profile_id = o.profile_id AND c.type = o.type;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
      INSERT INTO type_counts (profile_id, type, n)
      SELECT profile_id, type, count(*) FROM new_rows GROUP BY profile_id, type
      ON CONFLICT (profile_id, type) DO UPDATE SET n = type_counts.n + excluded.n;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER events_count_insert AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_types();
  CREATE TRIGGER events_count_update AFTER UPDATE ON events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_types();
  CREATE TRIGGER events_count_delete AFTER DELETE ON events
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION count_types();

  ALTER TABLE profiles ADD COLUMN pruned_before bigint;
`;
