-- Mark this database as the synthetic demo, so every page can say so.
-- params: built_at
INSERT OR REPLACE INTO meta VALUES ('demo', 'synthetic'), ('demo_built', $built_at);
