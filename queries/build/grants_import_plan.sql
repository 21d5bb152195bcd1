-- What importing the flows registered as `incoming` would change: one row per grant_key added, replaced or removed.
-- grain: one row per grant_key the import would touch (keys already loaded with the same content are left out)
-- A 360Giving grant is its Identifier: new figures under a known Identifier replace the old (a changed
-- title or award date within the same year alone is not a change, so an exported file re-imported changes nothing).
-- A tidy file is the whole truth for each source and financial year it covers: rows loaded before
-- from the same source and year that the file no longer holds (a provisional figure since made
-- actual, a corrected amount) are removed, so nothing is counted twice.
-- params: none
WITH tidy_years AS (
    SELECT DISTINCT source, financial_year FROM incoming WHERE identifier IS NULL
)
SELECT i.grant_key, CASE WHEN g.grant_key IS NULL THEN 'added' ELSE 'replaced' END AS action
FROM incoming i LEFT JOIN grant_flows g USING (grant_key)
WHERE g.grant_key IS NULL
   OR (g.financial_year, g.funder, g.recipient, g.stream, g.priority, g.amount_gbp, g.status, g.source, g.area)
      IS DISTINCT FROM
      (i.financial_year, i.funder, i.recipient, i.stream, i.priority, i.amount_gbp, i.status, i.source, i.area)
UNION ALL
SELECT g.grant_key, 'removed' AS action
FROM grant_flows g JOIN tidy_years t ON g.source = t.source AND g.financial_year = t.financial_year
WHERE g.identifier IS NULL AND g.grant_key NOT IN (SELECT grant_key FROM incoming)
ORDER BY action, grant_key;
