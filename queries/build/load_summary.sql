-- What a load brought: rows by month and crime type (printed at the end of ingest).
-- params: none
SELECT strftime(month, '%Y-%m') AS month, crime_type, count(*) AS rows,
       count(*) FILTER (WHERE lon IS NULL) AS without_location
FROM stg_street GROUP BY ALL ORDER BY month, rows DESC;
