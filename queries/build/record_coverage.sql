-- Record what this load brought, per force and month (a month not here is missing, not zero).
-- file_names (path, display) is registered by the loader so source_file names what the user gave.
-- params: loaded_at
INSERT OR REPLACE INTO coverage
SELECT s.reported_by, s.month, count(*), count(*) FILTER (WHERE s.lon IS NULL),
       coalesce(any_value(f.display), min(s.source_path)), $loaded_at
FROM stg_street s LEFT JOIN file_names f ON f.path = s.source_path
GROUP BY s.reported_by, s.month;
