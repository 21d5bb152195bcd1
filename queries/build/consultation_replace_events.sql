-- Replace whole events with the tally rows registered as incoming (a second load of an event changes nothing).
-- grain: one row per event × method × category × weight
-- params: loaded_at
DELETE FROM consultation_tallies WHERE event IN (SELECT DISTINCT event FROM incoming);
INSERT INTO consultation_tallies
SELECT event, CAST(event_date AS DATE), area, method, category, CAST(tokens AS BIGINT),
       CAST(weight AS INTEGER), source, note, $loaded_at
FROM incoming;
