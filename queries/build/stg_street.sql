-- Clean the raw text: types, harmonised crime type, district from the LSOA name.
-- grain: one row per street-level record
-- params: none
CREATE OR REPLACE TEMP TABLE stg_street AS
SELECT
    CAST(month || '-01' AS DATE) AS month,
    nullif(trim(crime_id), '') AS crime_id,
    trim(reported_by) AS reported_by,
    trim(falls_within) AS falls_within,
    CAST(nullif(trim(longitude), '') AS DOUBLE) AS lon,
    CAST(nullif(trim(latitude), '') AS DOUBLE) AS lat,
    nullif(trim(location), '') AS location,
    nullif(trim(lsoa_code), '') AS lsoa_code,
    nullif(trim(lsoa_name), '') AS lsoa_name,
    -- "King's Lynn and West Norfolk 001A" -> "King's Lynn and West Norfolk"
    nullif(regexp_replace(trim(lsoa_name), '\s+[0-9]{3}[A-Z]$', ''), '') AS district,
    coalesce(h.harmonised, trim(r.crime_type)) AS crime_type,
    trim(r.crime_type) AS crime_type_original,
    nullif(trim(last_outcome), '') AS last_outcome,
    nullif(trim(context), '') AS context,
    filename AS source_path
FROM raw_street r
LEFT JOIN crime_type_map h ON h.original = trim(r.crime_type);
