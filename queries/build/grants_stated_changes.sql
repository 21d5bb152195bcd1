-- Stated totals registered as `incoming` that are new or differ from what is loaded for the same source, year and scope.
-- grain: one row per incoming stated total that would change the table
-- params: none
SELECT i.source, i.financial_year, i.scope
FROM incoming i
LEFT JOIN grant_stated_totals s USING (source, financial_year, scope)
WHERE s.source IS NULL
   OR (s.stated_gbp, s.funder, s.recipient, s.stream, s.note)
      IS DISTINCT FROM (i.stated_gbp, i.funder, i.recipient, i.stream, i.note)
ORDER BY i.financial_year, i.scope;
