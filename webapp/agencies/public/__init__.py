"""The public side of agencies: the pages (`routes`) and the JSON, CSV and GeoJSON API (`api`), the queries
they call (`profiles`, `questions`, `network`, `camera_sets`), what every answer says of its sources
(`sources`, `answers`), the agencies' export set (`open_data`) and the parsing of their addresses
(`filters`)."""
