-- Grant flows, optionally for one funder and/or one recipient (names matched ignoring case).
-- params: funder, recipient
SELECT financial_year, funder, recipient, stream, priority, amount_gbp, status, source, grant_key,
       area, award_date, identifier, title
FROM grant_flows
WHERE ($funder IS NULL OR lower(funder) = lower($funder))
  AND ($recipient IS NULL OR lower(recipient) = lower($recipient))
ORDER BY financial_year, funder, recipient, stream, priority, grant_key;
