-- Every area a user can pick: forces, partnerships and districts, with the force each sits in.
-- params: none
WITH district_force AS (
    SELECT district, arg_max(falls_within, n) AS force, sum(n) AS n
    FROM (SELECT district, falls_within, sum(n) AS n FROM crime_district_monthly
          WHERE district IS NOT NULL GROUP BY ALL)
    GROUP BY district
)
SELECT 'force' AS kind, falls_within AS name, falls_within AS force, sum(n) AS records
FROM crime_district_monthly GROUP BY falls_within
UNION ALL
SELECT 'partnership', p.partnership, any_value(coalesce(p.force, d.force)), sum(coalesce(d.n, 0))
FROM partnerships p LEFT JOIN district_force d USING (district)
WHERE p.valid_to IS NULL OR p.valid_to >= current_date
GROUP BY p.partnership
UNION ALL
SELECT 'district', district, force, n FROM district_force
ORDER BY kind, name;
