-- Totals the sources state (to reconcile with the sum of their parts).
-- params: none
SELECT source, financial_year, scope, stated_gbp, funder, recipient, stream, note
FROM grant_stated_totals
ORDER BY financial_year, scope, source;
