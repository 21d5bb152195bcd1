-- Records per month and crime type for an area, period and set of types.
-- params: force, districts, date_from, date_to, types
SELECT month, crime_type, sum(n) AS n, sum(n_without_location) AS n_without_location
FROM crime_district_monthly
WHERE ($force IS NULL OR falls_within = $force)
  AND ($districts IS NULL OR list_contains($districts, district))
  AND month BETWEEN $date_from AND $date_to
  AND ($types IS NULL OR list_contains($types, crime_type))
GROUP BY ALL ORDER BY month, crime_type;
