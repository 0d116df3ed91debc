"""The words the agency-name normaliser (names.py beside it) reads: phrases and abbreviations with their
canonical tokens, the generic words of an agency's type, and the patterns that tell its kind."""

import re

# Two-letter codes that are also words or abbreviations of their own in lower-case text ("la crosse",
# "st. louis co"): in a text without capitals they count only where a code stands (last, or before the
# agency's type).
AMBIGUOUS_CODES = frozenset(
    {"in", "or", "me", "ok", "hi", "de", "la", "co", "al", "id", "mt", "pa", "ma", "oh"}
)
AMBIGUOUS_CODES |= frozenset({"ne", "ct", "sd", "wa", "ga", "mo", "ms", "nd", "va"})

# Phrases read before the words: each becomes one canonical token (or several), in this order.
PHRASES = (
    (
        r"\bdepartment of public safety\b|\bdept of public safety\b|\bpublic safety (services )?department\b",
        "dps",
    ),
    (r"\bpublic safety\b", "dps"),
    (r"\bsheriffs? (office|department|dept|ofc)\b|\bsheriff s (office|department|dept)\b", "sheriff"),
    (r"\bdistrict attorneys? (office|ofc)\b|\bdistrict attorneys?\b", "da"),
    (r"\bdas? (office|ofc)\b", "da"),
    (r"\bprosecut(ing|ors?)( attorneys?)?( office)?\b", "prosecutor"),
    (r"\bstates? attorneys?( office)?\b", "state attorney"),
    (r"\bpolice (department|dept|division|dep|services)\b|\b(department|division) of police\b", "police"),
    (r"\bhighway patrol\b", "hp"),
    (r"\bhome ?owners?( association)?\b|\bhomeowners association\b", "hoa"),
    (r"\bunited states\b|\bu s\b", "us"),
    (r"\bmarshals? service\b", "usms"),
    (r"\bcharter township\b", "township"),
)
PHRASE_PATTERNS = tuple((re.compile(pattern), replacement) for pattern, replacement in PHRASES)

# Single tokens: abbreviation -> canonical token ("" drops the token).
TOKENS = {
    "pd": "police",
    "police": "police",
    "so": "sheriff",
    "sheriff": "sheriff",
    "sheriffs": "sheriff",
    "cso": "sheriff",
    "da": "da",
    "das": "da",
    "hp": "hp",
    "twp": "township",
    "township": "township",
    "cnty": "county",
    "county": "county",
    "st": "saint",
    "ste": "saint",
    "mt": "mount",
    "ft": "fort",
    "univ": "university",
    "metro": "metropolitan",
    "const": "constable",
    "constables": "constable",
    "pct": "precinct",
    "dept": "",
    "department": "",
    "dep": "",
    "office": "",
    "ofc": "",
    "of": "",
    "the": "",
    "and": "",
    "s": "",
}

# Tokens that say what kind of body an agency is rather than which one; the rest of a name ("sylvania",
# "ashland", "18th judicial") is what must match.
GENERIC_TOKENS = frozenset(
    {
        "police", "sheriff", "da", "dps", "hp", "state", "patrol", "county", "township", "city", "town",
        "village", "borough", "parish", "metropolitan", "university", "college", "campus", "school",
        "schools", "isd", "district", "prosecutor", "attorney", "marshal", "marshals", "constable",
        "precinct", "division", "bureau", "unit", "services", "service", "public", "safety", "agency",
        "authority", "us", "federal", "regional", "law", "enforcement", "officers", "hoa", "association",
        "department", "dept", "office",
    }
)  # fmt: skip
# Misspellings of generic tokens a text may carry ("departmentt", "sherrif"): read as the token.
SPELLING_TARGETS = ("police", "sheriff", "county", "township", "department", "university", "metropolitan")

PLACE_WORDS = frozenset({"city", "county", "co", "township", "twp", "beach", "borough", "parish", "village"})
AGENCY_TYPE_WORDS = frozenset({"pd", "so", "sd", "police", "sheriff", "sheriffs", "dps", "da", "hp"})
# A state's name right before these is a town's ("Oregon Police Department", "Indiana PD").
LOCAL_TYPE_WORDS = frozenset({"pd", "so", "sd", "police", "sheriff", "sheriffs"})

# Kinds, read from the canonical text (first match wins, in this order).
FEDERAL = re.compile(
    r"\b(fbi|atf|dea|usms|hsi|ice|cbp|usps|tva|nps|us marshals?|us army|us air force|us navy|"
    r"us attorney|us postal|postal inspection|inspector general|homeland security investigations|"
    r"immigration (and )?customs|customs (and )?border|border (patrol|control)|secret service|coast guard|"
    r"air force|army|navy|naval|marine corps|national park service|tennessee valley authority|"
    r"veterans affairs|federal bureau|drug enforcement administration|bureau of alcohol)\b"
)
PRIVATE = re.compile(
    r"\b(hoa|mall|town center|shopping|plaza|apartments?|townhomes|condominiums?|inc|llc|corp|corporation|"
    r"company|properties|property group|casinos?|hotel|resort|yacht club|country club|lowes|lowe|home depot|"
    r"walmart|meijer|target|costco|kroger|publix|scheels|fleet farm|kaiser permanente|fedex|flock safety|"
    r"flock|axon|genetec|verra mobility|skycop|technologies|power|stores?|association)\b"
)
# A state's own bodies: these phrases say so whatever else the name holds ...
STATE_BODY = re.compile(
    r"\b(state police|state patrol|hp|state troopers?|bureau (criminal )?investigations?|kbi|tbi|gbi|sbi|"
    r"attorney general|law enforcement (division|agency)|state fire marshal|criminal justice|"
    r"information analysis center)\b"
)
# ... these only when nothing but the state's name stands beside them ("Missouri Department of
# Conservation", not "NYC Department of Transportation").
STATE_SUBJECTS = frozenset(
    {
        "corrections", "justice", "natural", "resources", "wildlife", "parks", "alcohol", "motor",
        "vehicles", "dmv", "revenue", "labor", "insurance", "homeland", "security", "turnpikes",
        "transportation", "dot", "conservation", "fish", "game", "fusion", "center", "investigations",
        "investigation", "fire", "marshal", "highway", "narcotics", "bureau", "general", "attorney",
    }
)  # fmt: skip
SHERIFF = re.compile(r"\bsheriff\b")
POLICE = re.compile(r"\b(police|dps|marshals?|rangers)\b")
OTHER = re.compile(
    r"\b(da|prosecutor|state attorney|attorney|dispatch|communications|911|fire|university|college|schools?|"
    r"isd|transit|airport|port|task force|parks|probation|constable)\b"
)

PARENTHESES = re.compile(r"[\(\[\{]([^\)\]\}]*)[\)\]\}]?")
WORD = re.compile(r"[a-z0-9]+")
