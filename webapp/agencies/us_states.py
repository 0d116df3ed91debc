"""The US states, the District of Columbia and the territories as agency names and cameras name them: USPS
code, FIPS code (a camera's `state_geoid`) and name."""

# USPS code, FIPS code (a camera's state_geoid), name.
STATES = (
    ("AL", "01", "alabama"),
    ("AK", "02", "alaska"),
    ("AZ", "04", "arizona"),
    ("AR", "05", "arkansas"),
    ("CA", "06", "california"),
    ("CO", "08", "colorado"),
    ("CT", "09", "connecticut"),
    ("DE", "10", "delaware"),
    ("DC", "11", "district of columbia"),
    ("FL", "12", "florida"),
    ("GA", "13", "georgia"),
    ("HI", "15", "hawaii"),
    ("ID", "16", "idaho"),
    ("IL", "17", "illinois"),
    ("IN", "18", "indiana"),
    ("IA", "19", "iowa"),
    ("KS", "20", "kansas"),
    ("KY", "21", "kentucky"),
    ("LA", "22", "louisiana"),
    ("ME", "23", "maine"),
    ("MD", "24", "maryland"),
    ("MA", "25", "massachusetts"),
    ("MI", "26", "michigan"),
    ("MN", "27", "minnesota"),
    ("MS", "28", "mississippi"),
    ("MO", "29", "missouri"),
    ("MT", "30", "montana"),
    ("NE", "31", "nebraska"),
    ("NV", "32", "nevada"),
    ("NH", "33", "new hampshire"),
    ("NJ", "34", "new jersey"),
    ("NM", "35", "new mexico"),
    ("NY", "36", "new york"),
    ("NC", "37", "north carolina"),
    ("ND", "38", "north dakota"),
    ("OH", "39", "ohio"),
    ("OK", "40", "oklahoma"),
    ("OR", "41", "oregon"),
    ("PA", "42", "pennsylvania"),
    ("RI", "44", "rhode island"),
    ("SC", "45", "south carolina"),
    ("SD", "46", "south dakota"),
    ("TN", "47", "tennessee"),
    ("TX", "48", "texas"),
    ("UT", "49", "utah"),
    ("VT", "50", "vermont"),
    ("VA", "51", "virginia"),
    ("WA", "53", "washington"),
    ("WV", "54", "west virginia"),
    ("WI", "55", "wisconsin"),
    ("WY", "56", "wyoming"),
    ("PR", "72", "puerto rico"),
)
STATE_CODES = frozenset(code for code, _fips, _name in STATES)
STATE_BY_GEOID = {fips: code for code, fips, _name in STATES}
STATE_BY_NAME = {name: code for code, _fips, name in STATES}
# Cameras carry their state's FIPS code (state_geoid), agencies its USPS code.
FIPS_BY_USPS = {code: fips for code, fips, _name in STATES}
NAME_BY_USPS = {code: name.title().replace(" Of ", " of ") for code, _fips, name in STATES}


def state_of_geoid(geoid: str | None) -> str | None:
    """The USPS code of a state GEOID (FIPS "06" -> "CA"), or of a county's (its first two digits)."""
    return STATE_BY_GEOID.get(geoid[:2]) if geoid else None
