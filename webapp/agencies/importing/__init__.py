"""The import of published agency data: reading a folder of files (`source_files`) and loading agencies,
sharing pairs, portal figures and policies set-based and idempotently (`importer`, `portal_import`)."""
