-- The months published by the force(s) whose records fall in this area: other months are missing, not zero.
-- params: force, districts
WITH forces AS (
    SELECT DISTINCT falls_within AS force FROM crime_monthly
    WHERE ($force IS NULL OR falls_within = $force)
      AND ($districts IS NULL OR list_contains($districts, district))
)
SELECT c.month, count(DISTINCT c.force) AS forces, sum(c.rows) AS force_rows
FROM coverage c JOIN forces f USING (force)
GROUP BY c.month ORDER BY c.month;
