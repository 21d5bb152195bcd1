-- Replace the priorities and measures of the partnerships in the incoming YAML (registered as
-- incoming_priorities and incoming_measures): importing the same file again changes nothing.
-- grain: priorities one row per partnership × priority; measures one row per partnership × measure
-- params: none
DELETE FROM priorities WHERE partnership IN (SELECT DISTINCT partnership FROM incoming_priorities);
DELETE FROM measures WHERE partnership IN (SELECT DISTINCT partnership FROM incoming_priorities);
INSERT INTO priorities
SELECT partnership, priority, priority_order, source_file, loaded_at FROM incoming_priorities;
INSERT INTO measures
SELECT partnership, priority, measure, kind, crime_types, unit, better,
       CAST(baseline_from AS DATE), CAST(baseline_to AS DATE), target_value, target_change_pct,
       synthetic, area, districts, frequency, measure_order, description
FROM incoming_measures;
