-- One setting from the meta table (e.g. whether this database is the synthetic demo).
-- params: key
SELECT value FROM meta WHERE key = $key;
