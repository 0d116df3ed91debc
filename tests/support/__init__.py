"""What tests share besides fixtures: scratch databases and app settings, a cluster of their own, photo
samples, submission helpers and row counts."""
