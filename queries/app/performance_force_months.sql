-- The months every one of these forces published (all forces when NULL): other months are gaps, not zeros.
-- params: forces
WITH chosen AS (
    SELECT force, month FROM coverage WHERE ($forces IS NULL OR list_contains($forces, force))
)
SELECT month FROM chosen
GROUP BY month
HAVING count(DISTINCT force) = (SELECT count(DISTINCT force) FROM chosen)
ORDER BY month;
