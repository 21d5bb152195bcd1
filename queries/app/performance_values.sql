-- The manual measure values of one partnership up to a month (periods with no figure have no row).
-- params: partnership, date_to
SELECT measure, period, value, synthetic
FROM measure_values
WHERE partnership = $partnership AND period <= $date_to
ORDER BY measure, period;
