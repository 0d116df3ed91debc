"""Agencies: who runs the cameras and who else can search what they read (issue 11).

Four subpackages: `matching` (the agency behind each camera's operator text), `importing` (published agency
and sharing data), `moderation` (the moderators' queue of operator texts, agencies and sharing relations with
their sources) and `public` (the pages and API reporters read). What they share: `us_states`, `cli`."""
