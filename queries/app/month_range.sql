-- The first and last month loaded.
-- params: none
SELECT min(month) AS first_month, max(month) AS last_month FROM coverage;
