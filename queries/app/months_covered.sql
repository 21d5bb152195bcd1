-- The months published by the force(s) this area belongs to: other months are missing, not zero.
-- A district's force is the one that publishes most of its records: a few stray records a
-- neighbouring force places in the district must not make that force's months count as covered.
-- params: force, districts
WITH home AS (
    SELECT district, arg_max(falls_within, n) AS force
    FROM (SELECT district, falls_within, sum(n) AS n FROM crime_district_monthly
          WHERE $districts IS NOT NULL AND list_contains($districts, district) GROUP BY ALL)
    GROUP BY district
), forces AS (
    SELECT DISTINCT force FROM home
    UNION
    SELECT DISTINCT falls_within FROM crime_district_monthly
    WHERE $districts IS NULL AND ($force IS NULL OR falls_within = $force)
)
SELECT c.month, count(DISTINCT c.force) AS forces, sum(c.rows) AS force_rows
FROM coverage c JOIN forces f USING (force)
GROUP BY c.month ORDER BY c.month;
