-- Every consultation event loaded: date, area, method(s), tokens, concerns offered and the shortest
-- source note, newest first.
-- params: none
SELECT event, any_value(event_date) AS event_date, any_value(area) AS area,
       string_agg(DISTINCT method, ', ' ORDER BY method) AS method,
       sum(tokens) AS tokens, count(DISTINCT category) AS concerns,
       arg_min(source, length(source)) AS source
FROM consultation_tallies
GROUP BY event
ORDER BY event_date DESC, event;
