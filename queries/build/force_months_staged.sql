-- The force-months in this load, with their row counts (for the load summary).
-- params: none
SELECT reported_by AS force, month, count(*) AS rows,
       count(*) FILTER (WHERE lon IS NULL) AS rows_without_location
FROM stg_street GROUP BY ALL ORDER BY force, month;
