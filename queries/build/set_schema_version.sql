-- Record the schema version this code wrote.
-- params: version
INSERT OR REPLACE INTO meta VALUES ('schema_version', CAST($version AS VARCHAR));
