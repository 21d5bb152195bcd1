-- The first record whose values can't be right (month, coordinates, force or crime type), with
-- its line in its file. Line numbers are only worked out when something is wrong.
-- params: none
WITH first_bad AS (
    SELECT source_path, rowid AS row_at, problem FROM stg_street
    WHERE problem IS NOT NULL
    ORDER BY source_path, rowid
    LIMIT 1
)
SELECT b.source_path, b.row_at - min(s.rowid) + 2 AS line, b.problem  -- +1 header, +1 from 0
FROM first_bad b JOIN stg_street s ON s.source_path = b.source_path
GROUP BY b.source_path, b.row_at, b.problem;
