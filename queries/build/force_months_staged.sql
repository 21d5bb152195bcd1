-- The force-months in this load, with their row counts (becomes coverage).
-- params: none
SELECT reported_by AS force, month, count(*) AS rows,
       count(*) FILTER (WHERE lon IS NULL) AS rows_without_location,
       min(source_path) AS source_path
FROM stg_street GROUP BY ALL ORDER BY force, month;
