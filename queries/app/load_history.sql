-- The most recent loads, newest first.
-- params: none
SELECT loaded_at, kind, files, rows, detail FROM load_log ORDER BY loaded_at DESC LIMIT 50;
