-- Police records per month and crime type in an area, up to a month (months with none have no row).
-- params: forces, districts, date_to
SELECT month, crime_type, sum(n) AS n
FROM crime_district_monthly
WHERE ($forces IS NULL OR list_contains($forces, falls_within))
  AND ($districts IS NULL OR list_contains($districts, district))
  AND month <= $date_to
GROUP BY ALL ORDER BY month, crime_type;
