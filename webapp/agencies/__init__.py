"""Agencies: who runs the cameras and who else can search what they read (issue 11).

The agency behind each camera's operator text (the matcher and its moderator queue), the import of published
agency and sharing data, sharing relations with their sources, and the pages and API reporters read."""
