-- How many of the force-months in this batch are already in the warehouse (to be replaced).
-- params: none
SELECT count(*) FROM (SELECT DISTINCT reported_by, month FROM stg_street) s
JOIN coverage c ON c.force = s.reported_by AND c.month = s.month;
