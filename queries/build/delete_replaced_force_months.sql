-- Loading a force-month again replaces it: delete the records and mart rows this load brings anew.
-- The loader runs this only when staged_force_months_loaded says some are already there, so a
-- first load of a national archive never scans the growing table.
-- params: none
DELETE FROM crimes c USING (SELECT DISTINCT reported_by, month FROM stg_street) s
WHERE c.reported_by = s.reported_by AND c.month = s.month;

DELETE FROM crime_monthly m USING (SELECT DISTINCT reported_by, month FROM stg_street) s
WHERE m.reported_by = s.reported_by AND m.month = s.month;

DELETE FROM crime_district_monthly m USING (SELECT DISTINCT reported_by, month FROM stg_street) s
WHERE m.reported_by = s.reported_by AND m.month = s.month;
