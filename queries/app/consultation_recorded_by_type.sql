-- Recorded crime and ASB by police.uk type for an area and period (to set beside residents' concerns).
-- params: force, districts, date_from, date_to, types
SELECT crime_type, sum(n) AS count
FROM crime_district_monthly
WHERE ($force IS NULL OR falls_within = $force)
  AND ($districts IS NULL OR list_contains($districts, district))
  AND month BETWEEN $date_from AND $date_to
  AND ($types IS NULL OR list_contains($types, crime_type))
GROUP BY crime_type ORDER BY count DESC, crime_type;
