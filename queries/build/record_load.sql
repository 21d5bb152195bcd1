-- One line in the load log per committed load.
-- params: loaded_at, kind, files, rows, detail
INSERT INTO load_log VALUES ($loaded_at, $kind, $files, $rows, $detail);
