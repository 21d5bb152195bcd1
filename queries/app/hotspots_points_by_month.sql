-- Distinct snap points with their record counts per month, for fitting hotspots on some months and scoring them on later ones.
-- params: force, districts, date_from, date_to, types
SELECT easting, northing, month, count(*) AS n
FROM crimes
WHERE easting IS NOT NULL AND northing IS NOT NULL
  AND ($force IS NULL OR falls_within = $force)
  AND ($districts IS NULL OR list_contains($districts, district))
  AND month BETWEEN $date_from AND $date_to
  AND ($types IS NULL OR list_contains($types, crime_type))
GROUP BY easting, northing, month
ORDER BY month, easting, northing;
