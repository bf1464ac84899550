// Migration 2 of the PostgreSQL mirror: the SQL functions. A page commit is one call of
// commit_page, so a mirror across a network costs one round trip per batch of pages, and every
// write of events (sync, get, copy) goes through the same rules and the same revision lock.
import { quoteLiteral } from './sql.js';

/** The functions, notifying `channel`. SET search_path FROM CURRENT pins each to the mirror's schema. */
export function functions(channel: string): string {
  return String.raw`
  -- raw #>> path for the awkward rows: the escapes that text cannot hold (\u0000, surrogates)
  -- become U+FFFD first, wherever a backslash starts them (an even run of backslashes before
  -- them is escaped backslashes). Repeated, because adjacent escapes share no lead character.
  CREATE FUNCTION tolerant_path(p_raw json, p_path text[]) RETURNS text
  LANGUAGE plpgsql IMMUTABLE SET search_path FROM CURRENT AS $$
  DECLARE s text := p_raw::text; t text;
  BEGIN
    LOOP
      t := regexp_replace(s, '(^|[^\\])((\\\\)*)\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})', '\1\2\\ufffd', 'g');
      EXIT WHEN t = s;
      s := t;
    END LOOP;
    RETURN s::json #>> p_path;
  END $$;

  -- One row of a batch being committed (see commit_page).
  CREATE TYPE page_row AS (ord int, k int, id text COLLATE "C", type text COLLATE "C", time bigint,
    updated bigint, object text COLLATE "C", raw json, seen bigint);

  -- A profile's key, created on first use (concurrent creators: ON CONFLICT waits for the other).
  CREATE FUNCTION profile_key(p_profile text, p_provider text) RETURNS int
  LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  DECLARE v int;
  BEGIN
    SELECT profile_id INTO v FROM profiles WHERE profile = p_profile;
    IF v IS NULL THEN
      INSERT INTO profiles (profile, provider) VALUES (p_profile, p_provider)
        ON CONFLICT (profile) DO NOTHING RETURNING profile_id INTO v;
      IF v IS NULL THEN SELECT profile_id INTO v FROM profiles WHERE profile = p_profile; END IF;
    END IF;
    RETURN v;
  END $$;

  -- Marks [p_lo, p_hi] covered, merged with the ranges it overlaps or touches (gaps and islands:
  -- a range starts a new island when its lo is above every hi before it).
  CREATE FUNCTION add_coverage(p_pid int, p_lo bigint, p_hi bigint) RETURNS void
  LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  BEGIN
    -- Serialise with commit_page's merge for the same profile.
    PERFORM 1 FROM profiles WHERE profile_id = p_pid FOR NO KEY UPDATE;
    WITH old AS (DELETE FROM coverage WHERE profile_id = p_pid RETURNING lo, hi),
    r AS (SELECT lo, hi FROM old UNION ALL SELECT p_lo, p_hi),
    m AS (SELECT lo, hi, max(hi) OVER w AS before FROM r
          WINDOW w AS (ORDER BY lo NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
    g AS (SELECT lo, hi, sum(CASE WHEN before IS NULL OR lo > before THEN 1 ELSE 0 END)
                         OVER (ORDER BY lo NULLS FIRST ROWS UNBOUNDED PRECEDING) AS island FROM m)
    INSERT INTO coverage (profile_id, lo, hi)
    SELECT p_pid, CASE WHEN bool_or(lo IS NULL) THEN NULL ELSE min(lo) END, max(hi) FROM g GROUP BY island;
  END $$;

  -- One batch of rows, upserted under the SQLite engine's rules: a row is written when its
  -- updated is not older than the stored one and its raw differs; it takes the profile's next
  -- revision and the version it replaces moves to versions. An id repeated in the batch is judged
  -- against the copy just written: round k handles each id's k-th occurrence, set-based.
  -- p_ids ... p_seens are JSON arrays of equal length, one per column; p_raws holds the raw texts
  -- themselves (each element comes back as the exact text between its delimiters).
  -- p_walk: null, or {id, done, floor, upper, next, reached, pages, fetched}.
  -- Returns {changes: one letter per row (n new, u updated, s same), rev, pid}.
  CREATE FUNCTION commit_page(p_profile text, p_provider text, p_seen bigint,
      p_ids json, p_types json, p_times json, p_updated json, p_objects json, p_raws json, p_seens json,
      p_walk json, p_total bigint) RETURNS json
  LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  DECLARE
    v_pid int; v_start bigint; v_rev bigint; v_n int; v_rounds int;
    v_rows page_row[]; v_changes text[]; v_ords int[]; v_existed boolean[]; v_count int; v_done boolean;
    v_written int[] := '{}';
  BEGIN
    v_n := json_array_length(p_ids);
    IF json_array_length(p_raws) <> v_n OR json_array_length(p_types) <> v_n OR json_array_length(p_seens) <> v_n THEN
      RAISE EXCEPTION 'commit_page: columns of unequal length' USING ERRCODE = '22023';
    END IF;
    v_pid := profile_key(p_profile, p_provider);
    -- The lock that orders revisions: other writers of this profile wait here until we commit,
    -- and their next statement's snapshot then sees our rows.
    SELECT last_rev INTO v_start FROM profiles WHERE profile_id = v_pid FOR NO KEY UPDATE;
    v_rev := v_start;
    v_changes := array_fill('s'::text, ARRAY[v_n]);

    -- Parsed once; k numbers each id's occurrences in batch order.
    SELECT coalesce(array_agg(ROW(x.ord, x.k, x.id, x.type, x.time, x.updated, x.object, x.raw, x.seen)::page_row ORDER BY x.ord), '{}'),
           coalesce(max(x.k), 0)
      INTO v_rows, v_rounds
      FROM (SELECT u.ord::int, (row_number() OVER (PARTITION BY u.id ORDER BY u.ord))::int AS k, u.id, u.type,
                   u.time::bigint, u.updated::bigint, u.object, u.raw, coalesce(u.seen::bigint, p_seen) AS seen
              FROM ROWS FROM (json_array_elements_text(p_ids), json_array_elements_text(p_types),
                              json_array_elements_text(p_times), json_array_elements_text(p_updated),
                              json_array_elements_text(p_objects), json_array_elements(p_raws),
                              json_array_elements_text(p_seens))
                   WITH ORDINALITY AS u(id, type, time, updated, object, raw, seen, ord)) x;

    FOR v_round IN 1..v_rounds LOOP
      -- The profile's lock keeps other writers out, so a plain INSERT for new ids and an UPDATE
      -- for the rest are safe, and cheaper than ON CONFLICT; the replaced version is copied from
      -- the row as read here (every part of one statement sees the same snapshot).
      WITH c AS (
        SELECT r.*, e.id IS NOT NULL AS existed, e.rev AS old_rev, e.type AS old_type, e.time AS old_time,
               e.updated AS old_updated, e.object AS old_object, e.seen AS old_seen, e.raw AS old_raw
          FROM unnest(v_rows) r LEFT JOIN events e ON e.profile_id = v_pid AND e.id = r.id
         WHERE r.k = v_round
           AND (e.id IS NULL OR (r.updated >= e.updated AND e.raw::text <> r.raw::text))),
      -- One round: revisions in row order at once. Several: -ord for now, renumbered below.
      w AS (SELECT c.*, CASE WHEN v_rounds = 1 THEN v_start + row_number() OVER (ORDER BY c.ord) ELSE -c.ord END AS rev FROM c),
      kept AS (
        INSERT INTO versions (profile_id, id, rev, type, time, updated, object, seen, raw)
        SELECT v_pid, id, old_rev, old_type, old_time, old_updated, old_object, old_seen, old_raw FROM w WHERE existed
        ON CONFLICT DO NOTHING),
      added AS (
        INSERT INTO events (profile_id, id, type, time, updated, object, raw, rev, seen)
        SELECT v_pid, id, type, time, updated, object, raw, rev, seen FROM w WHERE NOT existed ORDER BY ord),
      changed AS (
        UPDATE events e SET type = w.type, time = w.time, updated = w.updated, object = w.object,
               raw = w.raw, rev = w.rev, seen = w.seen
          FROM w WHERE w.existed AND e.profile_id = v_pid AND e.id = w.id)
      SELECT array_agg(ord), array_agg(existed), count(*) INTO v_ords, v_existed, v_count FROM w;
      FOR i IN 1..v_count LOOP
        v_changes[v_ords[i]] := CASE WHEN v_existed[i] THEN 'u' ELSE 'n' END;
      END LOOP;
      IF v_rounds > 1 AND v_count > 0 THEN v_written := v_written || v_ords; END IF;
      v_rev := v_rev + v_count;
    END LOOP;

    IF v_rounds > 1 AND v_rev > v_start THEN
      -- Revisions follow the batch's row order, as if each row had been written on its own.
      WITH m AS (SELECT o AS ord, v_start + row_number() OVER (ORDER BY o) AS rev FROM unnest(v_written) AS o),
      ev AS (UPDATE events e SET rev = m.rev FROM m WHERE e.profile_id = v_pid AND e.rev = -m.ord)
      UPDATE versions v SET rev = m.rev FROM m WHERE v.profile_id = v_pid AND v.rev = -m.ord;
    END IF;

    IF v_rev > v_start OR p_total IS NOT NULL THEN
      UPDATE profiles SET last_rev = v_rev,
             remote_total = coalesce(p_total, remote_total),
             provider = CASE WHEN p_total IS NULL THEN provider ELSE p_provider END
       WHERE profile_id = v_pid;
    END IF;

    IF p_walk IS NOT NULL THEN
      v_done := (p_walk->>'done')::boolean;
      IF v_done THEN
        DELETE FROM walks WHERE walk_id = (p_walk->>'id')::bigint AND profile_id = v_pid;
      ELSE
        UPDATE walks SET next = p_walk->'next', reached = (p_walk->>'reached')::bigint,
               pages = (p_walk->>'pages')::int, fetched = (p_walk->>'fetched')::int
         WHERE walk_id = (p_walk->>'id')::bigint AND profile_id = v_pid;
      END IF;
      IF NOT FOUND THEN
        -- Another sync replaced the walk: saving this page's position would resurrect nothing.
        RAISE EXCEPTION 'walk % is no longer pending', p_walk->>'id' USING ERRCODE = 'P0002';
      END IF;
      IF v_done THEN
        PERFORM add_coverage(v_pid, (p_walk->>'floor')::bigint, (p_walk->>'upper')::bigint);
      END IF;
    END IF;

    IF v_rev > v_start THEN
      -- Delivered at commit, never before: a listener that reads rev > N then sees these rows.
      PERFORM pg_notify(${quoteLiteral(channel)}, json_build_object('profile', p_profile, 'rev', v_rev)::text);
    END IF;
    RETURN json_build_object('changes', array_to_string(v_changes, ''), 'rev', v_rev, 'pid', pg_backend_pid());
  END $$;
  `;
}
