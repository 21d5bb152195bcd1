-- Crime (excluding ASB) and ASB per district and force in an area over a period.
-- params: force, districts, date_from, date_to
SELECT district, falls_within AS force,
       coalesce(sum(n) FILTER (WHERE crime_type <> 'Anti-social behaviour'), 0) AS crimes,
       coalesce(sum(n) FILTER (WHERE crime_type = 'Anti-social behaviour'), 0) AS asb
FROM crime_district_monthly
WHERE ($force IS NULL OR falls_within = $force)
  AND ($districts IS NULL OR list_contains($districts, district))
  AND district IS NOT NULL
  AND month BETWEEN $date_from AND $date_to
GROUP BY ALL ORDER BY district, force;
