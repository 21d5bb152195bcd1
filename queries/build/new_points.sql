-- Snap points not yet projected to British National Grid (projected once, ever, per point).
-- params: none
SELECT DISTINCT s.lon, s.lat
FROM stg_street s
WHERE s.lon IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM points p WHERE p.lon = s.lon AND p.lat = s.lat);
