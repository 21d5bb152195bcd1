-- Population per LSOA from an ONS table (registered as incoming); keeps any boundary already loaded.
-- params: none
INSERT INTO areas (lsoa_code, lsoa_name, district, population, population_year, source)
SELECT lsoa_code, lsoa_name, district, population, population_year, source
FROM incoming
ON CONFLICT (lsoa_code) DO UPDATE SET
    population = excluded.population, population_year = excluded.population_year,
    lsoa_name = coalesce(excluded.lsoa_name, areas.lsoa_name),
    district = coalesce(excluded.district, areas.district);
