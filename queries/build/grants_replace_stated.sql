-- Stated totals from a file (registered as `incoming`): each source, year and scope is replaced by the file's figure.
-- grain: grant_stated_totals, one row per source, financial_year and scope
-- params: loaded_at, source_file
DELETE FROM grant_stated_totals s USING incoming i
WHERE s.source = i.source AND s.financial_year = i.financial_year AND s.scope = i.scope;
INSERT INTO grant_stated_totals
SELECT source, financial_year, scope, stated_gbp, funder, recipient, stream, note, $source_file, $loaded_at
FROM incoming;
