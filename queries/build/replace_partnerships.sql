-- Partnerships from a lookup or hand-made file (registered as incoming): a district's memberships
-- from the same source are replaced, so loading the same file twice changes nothing.
-- params: none
DELETE FROM partnerships WHERE source IN (SELECT DISTINCT source FROM incoming);
INSERT INTO partnerships
SELECT partnership, district, force, CAST(valid_from AS DATE), CAST(valid_to AS DATE), source FROM incoming;
