-- Records per district for an area, period and set of types, split into crime and ASB.
-- params: force, districts, date_from, date_to, types
SELECT district,
       sum(n) FILTER (WHERE crime_type <> 'Anti-social behaviour') AS crimes,
       sum(n) FILTER (WHERE crime_type = 'Anti-social behaviour') AS asb,
       sum(n) AS records
FROM crime_district_monthly
WHERE ($force IS NULL OR falls_within = $force)
  AND ($districts IS NULL OR list_contains($districts, district))
  AND month BETWEEN $date_from AND $date_to
  AND ($types IS NULL OR list_contains($types, crime_type))
GROUP BY district ORDER BY records DESC;
