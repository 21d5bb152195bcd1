-- Bring the marts (crime_monthly by LSOA, crime_district_monthly by district) up to date for the force-months this load brought (the loader has already
-- deleted any it replaces, as for crimes).
-- grain: one row per reported_by × falls_within × district × lsoa_code × month × crime_type
-- Incremental, so a load's cost depends on its own size, not on how much the database holds.
-- params: none
INSERT INTO crime_monthly
SELECT reported_by, falls_within, district, lsoa_code, month, crime_type,
       count(*) AS n,
       count(*) FILTER (WHERE lon IS NULL) AS n_without_location
FROM stg_street
GROUP BY ALL
ORDER BY falls_within, district, month;

INSERT INTO crime_district_monthly
SELECT reported_by, falls_within, district, month, crime_type,
       count(*) AS n,
       count(*) FILTER (WHERE lon IS NULL) AS n_without_location
FROM stg_street
GROUP BY ALL
ORDER BY falls_within, district, month;
