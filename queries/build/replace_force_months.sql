-- Loading a force-month again replaces it: delete what this load brings, then insert.
-- file_names (path, display) is registered by the loader so source_file names what the user gave.
-- params: none
DELETE FROM crimes c USING (SELECT DISTINCT reported_by, month FROM stg_street) s
WHERE c.reported_by = s.reported_by AND c.month = s.month;

INSERT INTO crimes
SELECT s.month, s.crime_id, s.reported_by, s.falls_within, s.lon, s.lat,
       p.easting, p.northing, s.location, s.lsoa_code, s.lsoa_name, s.district,
       s.crime_type, s.crime_type_original, s.last_outcome, s.context,
       coalesce(f.display, s.source_path) AS source_file
FROM stg_street s
LEFT JOIN points p ON p.lon = s.lon AND p.lat = s.lat
LEFT JOIN file_names f ON f.path = s.source_path
ORDER BY s.falls_within, s.month;  -- sorted storage lets zone maps skip other forces and months
