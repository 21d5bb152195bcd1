-- The mart every chart page reads: counts by force, district, LSOA, month and crime type.
-- grain: one row per falls_within × district × lsoa_code × month × crime_type
-- Rebuilt inside each police load's transaction so it never disagrees with `crimes`.
-- params: none
CREATE OR REPLACE TABLE crime_monthly AS
SELECT falls_within, district, lsoa_code, month, crime_type,
       count(*) AS n,
       count(*) FILTER (WHERE lon IS NULL) AS n_without_location
FROM crimes
GROUP BY ALL
ORDER BY falls_within, district, month;
