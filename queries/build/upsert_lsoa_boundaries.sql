-- LSOA boundaries (registered as incoming); keeps any population already loaded.
-- params: none
INSERT INTO areas (lsoa_code, lsoa_name, district, geometry_geojson, source)
SELECT lsoa_code, lsoa_name, district, geometry_geojson, source FROM incoming
ON CONFLICT (lsoa_code) DO UPDATE SET
    geometry_geojson = excluded.geometry_geojson,
    lsoa_name = coalesce(excluded.lsoa_name, areas.lsoa_name),
    district = coalesce(excluded.district, areas.district);
