-- The crime-type harmonisation table (data/reference/crime_types.csv) for this load.
-- params: path
CREATE OR REPLACE TEMP TABLE crime_type_map AS
SELECT original, harmonised FROM read_csv($path, header = true, all_varchar = true);
