"""Numbered, immutable releases of the open data (files with a Frictionless datapackage.json, hashes and a
suggested citation): the /data pages (`routes`) and /api/v1/releases (`api`) on `blueprint.bp`; making and
withdrawing them in `making` (`flask opendata release|withdraw`, in `cli`)."""
