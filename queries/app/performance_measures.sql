-- Every configured measure of every partnership, in the order the partnerships' files give them.
-- params: none
SELECT m.partnership, m.priority, p.priority_order, m.measure, m.kind, m.crime_types, m.unit, m.better,
       m.baseline_from, m.baseline_to, m.target_value, m.target_change_pct, m.synthetic, m.area,
       m.districts, m.frequency, m.measure_order, m.description
FROM measures m LEFT JOIN priorities p USING (partnership, priority)
ORDER BY m.partnership, m.measure_order;
