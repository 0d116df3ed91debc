"""Report-side rows keep days, never times: the one SQL default for a "day" column."""

from sqlalchemy import text

# The UTC day, whatever the session's time zone (CURRENT_DATE would follow the session's TimeZone setting).
UTC_TODAY = text("((now() AT TIME ZONE 'UTC'))::date")
