-- Records in groups of grid cells (a beat sheet's square, a stability place's touching squares), summed per group
-- in one scan: each group's three commonest places and crime types, its commonest district, and its records per
-- month. The page needs only these, so the database sums them rather than sending every cell's breakdown.
-- `part` names the breakdown; `label` is the place, crime type or district (NULL on a month row, which sets
-- `month`); `total` is the group's records over that part's labels (on a crime_type row: the group's records).
-- A place is a police.uk location without its "On or near " prefix; a blank one or "No location" is no place.
-- Ties are broken by label (codepoint order, as Python sorts), so the answer is the same every run.
-- Cell key = col * 1000000 + row, col/row = floor(BNG metres / cell size); groups[i] is the group of cells[i]
-- (a cell may be listed in more than one group).
-- params: force, districts, date_from, date_to, types, cell_m, cells, groups
WITH member AS (
    SELECT DISTINCT unnest($cells) AS cell, unnest($groups) AS g
),
records AS (
    SELECT CAST(floor(easting / $cell_m) AS BIGINT) * 1000000 + CAST(floor(northing / $cell_m) AS BIGINT) AS cell,
           location, crime_type, month, district
    FROM crimes
    WHERE easting IS NOT NULL AND northing IS NOT NULL
      AND ($force IS NULL OR falls_within = $force)
      AND ($districts IS NULL OR list_contains($districts, district))
      AND month BETWEEN $date_from AND $date_to
      AND ($types IS NULL OR list_contains($types, crime_type))
      AND list_contains($cells, CAST(floor(easting / $cell_m) AS BIGINT) * 1000000 + CAST(floor(northing / $cell_m) AS BIGINT))
),
labelled AS (
    SELECT m.g,
           -- Python's str.strip() whitespace: RE2's \s lacks \v, the \x1c-\x1f separators, \x85 and Unicode spaces
           regexp_replace(regexp_replace(r.location, '(?i)^on or near[\s\x{0b}\x{1c}-\x{1f}\x{85}\pZ]+', ''),
                          '^[\s\x{0b}\x{1c}-\x{1f}\x{85}\pZ]+|[\s\x{0b}\x{1c}-\x{1f}\x{85}\pZ]+$', '', 'g') AS place,
           nullif(r.crime_type, '') AS crime_type, r.month, nullif(r.district, '') AS district
    FROM records r JOIN member m USING (cell)
),
counted AS (
    SELECT CASE GROUPING(place, crime_type, month, district)
             WHEN 7 THEN 'location' WHEN 11 THEN 'crime_type' WHEN 13 THEN 'month' ELSE 'district' END AS part,
           g, coalesce(place, crime_type, district) AS label, month, count(*) AS n
    FROM (SELECT g, CASE WHEN place = '' OR lower(place) = 'no location' THEN NULL ELSE place END AS place,
                 crime_type, month, district FROM labelled)
    GROUP BY GROUPING SETS ((g, place), (g, crime_type), (g, month), (g, district))
)
SELECT part, g, label, month, n, sum(n) OVER (PARTITION BY part, g) AS total
FROM counted
WHERE CASE part WHEN 'month' THEN month IS NOT NULL ELSE label IS NOT NULL END
QUALIFY part = 'month'
     OR row_number() OVER (PARTITION BY part, g ORDER BY n DESC, label) <= CASE part WHEN 'district' THEN 1 ELSE 3 END
ORDER BY g, part, n DESC, label, month;
