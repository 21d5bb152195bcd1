-- Records per LSOA for an area, period and set of types (records with no LSOA left out).
-- params: force, districts, date_from, date_to, types
SELECT lsoa_code, sum(n) AS n
FROM crime_monthly
WHERE lsoa_code IS NOT NULL
  AND ($force IS NULL OR falls_within = $force)
  AND ($districts IS NULL OR list_contains($districts, district))
  AND month BETWEEN $date_from AND $date_to
  AND ($types IS NULL OR list_contains($types, crime_type))
GROUP BY lsoa_code
ORDER BY lsoa_code;
