-- Records per LSOA for an area, period and set of types (records with no LSOA left out), with the
-- district the records name (to leave stray records' LSOAs off the map).
-- params: force, districts, date_from, date_to, types
SELECT lsoa_code, sum(n) AS n, any_value(district) AS records_district
FROM crime_monthly
WHERE lsoa_code IS NOT NULL
  AND ($force IS NULL OR falls_within = $force)
  AND ($districts IS NULL OR list_contains($districts, district))
  AND month BETWEEN $date_from AND $date_to
  AND ($types IS NULL OR list_contains($types, crime_type))
GROUP BY lsoa_code
ORDER BY lsoa_code;
