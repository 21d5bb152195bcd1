-- Whether a table exists (a database built before the consultation tables existed lacks them).
-- params: table_name
SELECT count(*) > 0 FROM information_schema.tables WHERE table_name = $table_name;
