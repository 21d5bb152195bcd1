-- The warehouse tables. Every CREATE is idempotent; loads fill them inside one transaction.
-- params: none

CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);

-- grain: one row per street-level record (crime or ASB incident) as published by data.police.uk
CREATE TABLE IF NOT EXISTS crimes (
    month DATE NOT NULL,               -- first of the month
    crime_id VARCHAR,                  -- NULL for ASB
    reported_by VARCHAR NOT NULL,
    falls_within VARCHAR NOT NULL,     -- the force whose area it is: coverage and --area force key
    lon DOUBLE, lat DOUBLE,            -- the anonymous snap point, WGS84; NULL for "No location"
    easting DOUBLE, northing DOUBLE,   -- EPSG:27700 of the snap point
    location VARCHAR,
    lsoa_code VARCHAR, lsoa_name VARCHAR,
    district VARCHAR,                  -- LSOA name less its trailing code
    crime_type VARCHAR NOT NULL,       -- harmonised category
    crime_type_original VARCHAR NOT NULL,
    last_outcome VARCHAR,
    context VARCHAR,
    source_file VARCHAR NOT NULL
);

-- grain: one row per force and month that was loaded (a month not here was not published/loaded)
CREATE TABLE IF NOT EXISTS coverage (
    force VARCHAR NOT NULL,
    month DATE NOT NULL,
    rows BIGINT NOT NULL,
    rows_without_location BIGINT NOT NULL,
    source_file VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (force, month)
);

-- grain: one row per ingest call that committed
CREATE TABLE IF NOT EXISTS load_log (
    loaded_at TIMESTAMP NOT NULL,
    kind VARCHAR NOT NULL,        -- police_uk | geography | grants | consultation | measures | demo
    files INTEGER NOT NULL,
    rows BIGINT NOT NULL,
    detail VARCHAR
);

-- grain: one row per LSOA (2011 or 2021 code) known from boundaries, population or crime records
CREATE TABLE IF NOT EXISTS areas (
    lsoa_code VARCHAR PRIMARY KEY,
    lsoa_name VARCHAR,
    district VARCHAR,
    population DOUBLE,
    population_year INTEGER,
    geometry_geojson VARCHAR,     -- WGS84 GeoJSON geometry when a boundary file was loaded
    source VARCHAR
);

-- grain: one row per district per partnership membership period
CREATE TABLE IF NOT EXISTS partnerships (
    partnership VARCHAR NOT NULL,
    district VARCHAR NOT NULL,
    force VARCHAR,
    valid_from DATE,
    valid_to DATE,                -- NULL: still current
    source VARCHAR
);

-- grain: one row per district boundary (optional; drawn as outlines)
CREATE TABLE IF NOT EXISTS district_boundaries (
    district VARCHAR PRIMARY KEY,
    district_code VARCHAR,
    geometry_geojson VARCHAR,
    source VARCHAR
);

-- grain: one row per distinct snap point ever loaded, projected to British National Grid once
CREATE TABLE IF NOT EXISTS points (
    lon DOUBLE NOT NULL, lat DOUBLE NOT NULL,
    easting DOUBLE NOT NULL, northing DOUBLE NOT NULL,
    PRIMARY KEY (lon, lat)
);

-- grain: one row per reported_by × falls_within × district × lsoa_code × month × crime_type
-- The mart every chart page reads; maintained incrementally by each police load (same transaction).
CREATE TABLE IF NOT EXISTS crime_monthly (
    reported_by VARCHAR NOT NULL,
    falls_within VARCHAR NOT NULL,
    district VARCHAR,
    lsoa_code VARCHAR,
    month DATE NOT NULL,
    crime_type VARCHAR NOT NULL,
    n BIGINT NOT NULL,
    n_without_location BIGINT NOT NULL
);

-- grain: one row per reported_by × falls_within × district × month × crime_type
-- What every chart query reads. crime_monthly's LSOA grain is nearly record grain nationally
-- (~35,000 LSOAs × 36 months × 14 types ≈ 12M rows for 18M records); this is ~170k rows, so
-- force-wide and national questions stay quick. Maintained with crime_monthly by each load.
CREATE TABLE IF NOT EXISTS crime_district_monthly (
    reported_by VARCHAR NOT NULL,
    falls_within VARCHAR NOT NULL,
    district VARCHAR,
    month DATE NOT NULL,
    crime_type VARCHAR NOT NULL,
    n BIGINT NOT NULL,
    n_without_location BIGINT NOT NULL
);

-- Databases built before this mart existed (schema 1) get it filled from crime_monthly once.
INSERT INTO crime_district_monthly
SELECT reported_by, falls_within, district, month, crime_type, sum(n), sum(n_without_location)
FROM crime_monthly
WHERE NOT EXISTS (SELECT 1 FROM crime_district_monthly)
GROUP BY ALL
ORDER BY falls_within, district, month;
