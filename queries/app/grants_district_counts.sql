-- Recorded crime and ASB per district and crime type over a period, for the allocation what-if.
-- params: date_from, date_to
SELECT district, crime_type, sum(n) AS count
FROM crime_district_monthly
WHERE district IS NOT NULL AND month BETWEEN $date_from AND $date_to
GROUP BY ALL ORDER BY district, crime_type;
