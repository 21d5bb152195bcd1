-- Every partnership membership (district, from, to), to add up need for a partnership as it stood in a year.
-- params: none
SELECT partnership, district, valid_from, valid_to
FROM partnerships
ORDER BY partnership, district, valid_from NULLS FIRST;
