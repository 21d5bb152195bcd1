-- Apply an import plan (registered as `plan`) to grant_flows: drop replaced and removed keys, insert added and replaced rows from `incoming`.
-- grain: grant_flows, one row per grant_key
-- params: loaded_at, source_file
DELETE FROM grant_flows WHERE grant_key IN (SELECT grant_key FROM plan WHERE action IN ('replaced', 'removed'));
INSERT INTO grant_flows
SELECT grant_key, financial_year, funder, recipient, stream, priority, amount_gbp, status, source,
       area, CAST(award_date AS DATE), identifier, title, $source_file, $loaded_at
FROM incoming
WHERE grant_key IN (SELECT grant_key FROM plan WHERE action IN ('added', 'replaced'));
