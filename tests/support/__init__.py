"""What tests share besides fixtures: scratch databases and app settings, a cluster of their own, photo
samples, submission helpers, row counts, one of every page type (`site_pages`) and the axe-core check
(`accessibility`)."""
