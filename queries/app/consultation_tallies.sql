-- The tally rows of the chosen events (a list of event names).
-- params: events
SELECT event, event_date, area, method, category, tokens, weight
FROM consultation_tallies
WHERE list_contains($events, event)
ORDER BY event_date, event, method, weight DESC, tokens DESC, category;
