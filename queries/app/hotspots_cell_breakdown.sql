-- Records per chosen grid cell broken down four ways in one scan: by location, crime type, month and district.
-- `part` names the breakdown of each row (the other three columns are NULL there); cell key = col * 1000000 + row,
-- col/row = floor(BNG metres / cell size).
-- params: force, districts, date_from, date_to, types, cell_m, cells
SELECT CASE GROUPING(location, crime_type, month, district)
         WHEN 7 THEN 'location' WHEN 11 THEN 'crime_type' WHEN 13 THEN 'month' ELSE 'district' END AS part,
       col, "row", location, crime_type, month, district, count(*) AS n
FROM (
    SELECT CAST(floor(easting / $cell_m) AS BIGINT) AS col, CAST(floor(northing / $cell_m) AS BIGINT) AS "row",
           location, crime_type, month, district
    FROM crimes
    WHERE easting IS NOT NULL AND northing IS NOT NULL
      AND ($force IS NULL OR falls_within = $force)
      AND ($districts IS NULL OR list_contains($districts, district))
      AND month BETWEEN $date_from AND $date_to
      AND ($types IS NULL OR list_contains($types, crime_type))
      AND list_contains($cells, CAST(floor(easting / $cell_m) AS BIGINT) * 1000000 + CAST(floor(northing / $cell_m) AS BIGINT))
)
GROUP BY GROUPING SETS ((col, "row", location), (col, "row", crime_type), (col, "row", month), (col, "row", district))
ORDER BY part, col, "row", n DESC, location, crime_type, month, district;
