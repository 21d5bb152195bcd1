-- Manual measure values (registered as incoming): the same partnership, measure and period again
-- replaces the old value, so importing a file twice changes nothing.
-- grain: one row per partnership × measure × period
-- params: none
DELETE FROM measure_values v USING incoming i
WHERE v.partnership = i.partnership AND v.measure = i.measure AND v.period = CAST(i.period AS DATE);
INSERT INTO measure_values
SELECT partnership, measure, CAST(period AS DATE), value, synthetic, source_file, loaded_at FROM incoming;
