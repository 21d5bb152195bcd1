-- A token that changes whenever a load commits (the newest load time and the number of loads).
-- params: none
SELECT coalesce(CAST(max(loaded_at) AS VARCHAR), '') || '#' || CAST(count(*) AS VARCHAR) FROM load_log;
