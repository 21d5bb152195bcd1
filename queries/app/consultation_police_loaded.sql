-- Whether any police records are loaded at all (any force-month in the coverage table).
-- params: none
SELECT count(*) > 0 FROM coverage;
