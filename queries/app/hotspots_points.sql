-- Distinct snap points with their record counts for an area, period and set of types (located records only).
-- params: force, districts, date_from, date_to, types
SELECT easting, northing, any_value(lon) AS lon, any_value(lat) AS lat, count(*) AS n
FROM crimes
WHERE easting IS NOT NULL AND northing IS NOT NULL
  AND ($force IS NULL OR falls_within = $force)
  AND ($districts IS NULL OR list_contains($districts, district))
  AND month BETWEEN $date_from AND $date_to
  AND ($types IS NULL OR list_contains($types, crime_type))
GROUP BY easting, northing
ORDER BY easting, northing;
