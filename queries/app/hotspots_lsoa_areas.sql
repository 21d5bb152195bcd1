-- Name, district, population and boundary (when loaded) of the given LSOAs, for the map's choropleth.
-- params: codes
SELECT lsoa_code, lsoa_name, district, population, geometry_geojson
FROM areas
WHERE list_contains($codes, lsoa_code)
ORDER BY lsoa_code;
