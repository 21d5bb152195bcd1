-- The crime types present, most frequent first.
-- params: none
SELECT crime_type, sum(n) AS n FROM crime_district_monthly GROUP BY crime_type ORDER BY n DESC;
