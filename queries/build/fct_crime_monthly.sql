-- Bring the mart up to date for the force-months this load brought (replace them, like crimes).
-- grain: one row per reported_by × falls_within × district × lsoa_code × month × crime_type
-- Incremental, so a load's cost depends on its own size, not on how much the database holds.
-- params: none
DELETE FROM crime_monthly m USING (SELECT DISTINCT reported_by, month FROM stg_street) s
WHERE m.reported_by = s.reported_by AND m.month = s.month;

INSERT INTO crime_monthly
SELECT reported_by, falls_within, district, lsoa_code, month, crime_type,
       count(*) AS n,
       count(*) FILTER (WHERE lon IS NULL) AS n_without_location
FROM stg_street
GROUP BY ALL
ORDER BY falls_within, district, month;
