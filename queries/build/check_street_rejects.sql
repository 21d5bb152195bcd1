-- The first structural problem (wrong number of fields, bad encoding) in the files just read.
-- params: none
SELECT s.file_path, r.line, r.error_type, r.error_message
FROM street_rejects r JOIN street_reject_scans s USING (scan_id, file_id)
ORDER BY s.file_path, r.line
LIMIT 1;
