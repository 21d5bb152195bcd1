-- Records per grid cell and district for chosen cells (cell key = col * 1000000 + row, col/row = floor(BNG metres / cell size)).
-- params: force, districts, date_from, date_to, types, cell_m, cells
SELECT CAST(floor(easting / $cell_m) AS BIGINT) AS col, CAST(floor(northing / $cell_m) AS BIGINT) AS "row",
       district, count(*) AS n
FROM crimes
WHERE easting IS NOT NULL AND northing IS NOT NULL
  AND ($force IS NULL OR falls_within = $force)
  AND ($districts IS NULL OR list_contains($districts, district))
  AND month BETWEEN $date_from AND $date_to
  AND ($types IS NULL OR list_contains($types, crime_type))
  AND list_contains($cells, CAST(floor(easting / $cell_m) AS BIGINT) * 1000000 + CAST(floor(northing / $cell_m) AS BIGINT))
GROUP BY ALL
ORDER BY col, "row", n DESC, district;
