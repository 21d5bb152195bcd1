-- What was loaded: one row per force and month, with row counts and rows without a location.
-- params: none
SELECT force, month, rows, rows_without_location, source_file, loaded_at
FROM coverage ORDER BY force, month;
