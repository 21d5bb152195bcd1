-- District boundaries loaded from a boundary file, for outlines on the map.
-- params: districts
SELECT district, geometry_geojson
FROM district_boundaries
WHERE geometry_geojson IS NOT NULL AND list_contains($districts, district)
ORDER BY district;
