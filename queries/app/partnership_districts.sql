-- The districts that make up a partnership now (memberships not yet ended).
-- params: partnership
SELECT DISTINCT district FROM partnerships
WHERE partnership = $partnership AND (valid_to IS NULL OR valid_to >= current_date)
ORDER BY district;
