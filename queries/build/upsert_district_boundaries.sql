-- District outlines (registered as incoming).
-- params: none
INSERT OR REPLACE INTO district_boundaries
SELECT district, district_code, geometry_geojson, source FROM incoming;
