-- Add the staged records to the warehouse (after any force-months they replace were deleted).
-- file_names (path, display) is registered by the loader so source_file names what the user gave.
-- No ORDER BY: the loader reads each batch's files grouped by force then month and insertion order
-- is kept, so row groups already hold one force's months and zone maps skip the rest; a sort
-- here cost ~20% of the load for nothing.
-- params: none
INSERT INTO crimes
SELECT s.month, s.crime_id, s.reported_by, s.falls_within, s.lon, s.lat,
       p.easting, p.northing, s.location, s.lsoa_code, s.lsoa_name, s.district,
       s.crime_type, s.crime_type_original, s.last_outcome, s.context,
       coalesce(f.display, s.source_path) AS source_file
FROM stg_street s
LEFT JOIN points p ON p.lon = s.lon AND p.lat = s.lat
LEFT JOIN file_names f ON f.path = s.source_path;
