-- Crime (excluding ASB) and ASB per force over a period: the denominators of districts' shares.
-- params: forces, date_from, date_to
SELECT falls_within AS force,
       coalesce(sum(n) FILTER (WHERE crime_type <> 'Anti-social behaviour'), 0) AS crimes,
       coalesce(sum(n) FILTER (WHERE crime_type = 'Anti-social behaviour'), 0) AS asb
FROM crime_district_monthly
WHERE list_contains($forces, falls_within)
  AND month BETWEEN $date_from AND $date_to
GROUP BY ALL ORDER BY force;
