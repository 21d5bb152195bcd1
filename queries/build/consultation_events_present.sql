-- Which of the incoming events are already in the database (they will be replaced).
-- grain: one row per event already loaded
-- params: none
SELECT DISTINCT event FROM consultation_tallies
WHERE event IN (SELECT DISTINCT event FROM incoming) ORDER BY event;
