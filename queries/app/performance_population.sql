-- Residents per district from the LSOA population loaded (NULL population when none was loaded).
-- params: districts
SELECT district, sum(population) AS population, count(*) AS lsoas, count(population) AS lsoas_with_population,
       max(population_year) AS population_year
FROM areas
WHERE district IS NOT NULL AND ($districts IS NULL OR list_contains($districts, district))
GROUP BY district ORDER BY district;
