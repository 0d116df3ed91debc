"""Searches: who searched whose cameras, and why, from vendors' audit logs obtained by public-records
requests (issue 21).

Data side: `log_files` (reading CSV and XLSX rows by header name, dropping the personal cells), `redaction`
(what is masked in a reason), `classification` (the published, versioned rule set), `searchers` (searching
agencies through the agencies matcher, and where they stand from the owner), `importer` (COPY, duplicates,
rollups), `synthetic` (realistic generated logs), `cli` (`flask searches`). Answers: `blueprint` and the
pages and JSON/CSV built on it."""
