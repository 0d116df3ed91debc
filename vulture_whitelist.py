"""Names vulture (`make lint`) cannot see used: what Flask, Jinja, Click, SQLAlchemy, RQ, gunicorn and the
standard library call by name. Routes, commands and request hooks registered by decorator are left out in
pyproject.toml ([tool.vulture] ignore_decorators), model columns by its `exclude`. Add a name here only with
the caller that reads it; a function that only tests call is dead code, not a line for this file.

Read by vulture, never imported."""

from vulture.whitelist_utils import Whitelist

_ = Whitelist()

# Jobs, named by dotted path (webapp.jobs.enqueue, webapp/jobs/schedule.py).
match_operators_job
refresh_job
check_exports
write_export_files
release_if_due
import_uploaded_log

# gunicorn.conf.py (not scanned: its settings are module variables gunicorn reads by name).
check_counters_shared
set_worker_label
write_all

# Read by templates (Jinja).
status_label  # accounts/own_sightings.html
public_camera_id  # accounts/own_sightings.html
hint  # submit/form.html: a vendor's hint
function  # jobs/list.html
waiting_days  # moderation/_item.html, _group_reports.html
_.when_text  # moderation/_history.html
_.ids_param  # moderation/queue.html
_.candidate_points  # moderation/_item.html

# Fields of a portal's figures and policies (agencies/source_files.py), written to their tables by column
# name (agencies/portal_import.py: getattr(record, column)).
retention_text
owned_cameras
external_organizations_with_access
hotlists
vehicles_detected_30d
hotlist_hits_30d
searches_30d
public_search_audit
portal_updated_at
whats_detected
whats_not_detected
acceptable_use
access_policy
hotlist_policy

# The vocabulary the models' CHECK constraints and SQL read (webapp/kernel/data/models is not scanned).
CAMERA_STATUSES
CAMERA_SOURCES
SIGHTING_STATUSES
FLAG_STATUSES
FLAG_REASONS
AREA_KINDS
LINK_PROPOSAL_STATUSES
RECORDED_BY
OPERATOR_LINK_STATES
LINKING_OPERATOR_STATES
AUDIT_ACTIONS
role_rank
sql_in

# Attributes Flask, Flask-Login, Flask-Babel, Flask-Limiter, Werkzeug and Folium read.
_.request_class
_.session_interface
_.login_view
_.session_protection
_._session_identifier_generator
_.max_content_length
_.request_started
_.locale_from_header
_._limiter
_._get_file_stream
_.must_revalidate
_.no_store
_.private
_.immutable
_.default_js
_.default_css
_._name
_.module_url  # read by DensityLayers' Jinja template (map/density_map.py)
regex  # a Werkzeug URL converter's pattern (kernel/http/path_ids.py)

# Columns of a search log's file row, set on the model and written by the ORM (searches/importer.py).
_.rows_stored
_.rows_known
_.rows_refused
_.first_search_at
_.last_search_at

# Parameters a caller's signature requires (context managers, event listeners, Werkzeug's stream factory,
# functools.lru_cache keys).
exc
exc_info
conn
executemany
total_content_length
modified_ns

# bench/anonymous_costs.py imports these in the script it runs in a child process (a string).
prepared
request_for
# gunicorn loads `bench.exports:streaming_app()` by name.
streaming_app

# Only tests read these today (the searches work of issue 21 owns them; left to it).
TAGS
TAG_LABELS
searcher_places
