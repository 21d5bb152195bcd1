-- Residents per district (the sum of its LSOAs' population), for the allocation what-if.
-- params: none
SELECT district, sum(population) AS population
FROM areas
WHERE district IS NOT NULL AND population IS NOT NULL
GROUP BY district ORDER BY district;
