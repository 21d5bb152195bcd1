-- Add newly projected snap points (registered by the loader as new_points_bng).
-- params: none
INSERT OR IGNORE INTO points SELECT lon, lat, easting, northing FROM new_points_bng;
