-- All records, and those published without a location, for an area, period and set of types.
-- params: force, districts, date_from, date_to, types
SELECT coalesce(sum(n), 0) AS records, coalesce(sum(n_without_location), 0) AS without_location
FROM crime_district_monthly
WHERE ($force IS NULL OR falls_within = $force)
  AND ($districts IS NULL OR list_contains($districts, district))
  AND month BETWEEN $date_from AND $date_to
  AND ($types IS NULL OR list_contains($types, crime_type));
