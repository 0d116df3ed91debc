"""The normaliser of agency names and operator texts: one canonical form for "Sylvania OH PD", "Sylvania
Police Department" and "City of Sylvania Police Dept." (tokens, the state they name, the kind of agency).

The News & Observer's names put a USPS code anywhere ("Brownstown Twp PD MI", "LA - Greenwood PD"); operator
texts on cameras spell the agency out and rarely name the state. Both become a `ParsedName`: the place or
body that makes the agency itself (`distinct`: "sylvania"), what kind of body it is (`generic`: "police",
"county"), the state, and the kind. The matcher compares the two parts separately, so that two towns with
the same suffix never look alike because of the suffix.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from webapp.kernel.vocabulary import AgencyKind

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
# Longest first, so that "west virginia" is read before "virginia".
_STATE_NAMES = sorted(STATE_BY_NAME, key=len, reverse=True)

# Two-letter codes that are also words or abbreviations of their own in lower-case text ("la crosse",
# "st. louis co"): in a text without capitals they count only where a code stands (last, or before the
# agency's type).
_AMBIGUOUS_CODES = frozenset(
    {"in", "or", "me", "ok", "hi", "de", "la", "co", "al", "id", "mt", "pa", "ma", "oh"}
)
_AMBIGUOUS_CODES |= frozenset({"ne", "ct", "sd", "wa", "ga", "mo", "ms", "nd", "va"})

# Phrases read before the words: each becomes one canonical token (or several), in this order.
_PHRASES = (
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
_PHRASE_PATTERNS = tuple((re.compile(pattern), replacement) for pattern, replacement in _PHRASES)

# Single tokens: abbreviation -> canonical token ("" drops the token).
_TOKENS = {
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
_SPELLING_TARGETS = ("police", "sheriff", "county", "township", "department", "university", "metropolitan")

_PLACE_WORDS = frozenset({"city", "county", "co", "township", "twp", "beach", "borough", "parish", "village"})
_AGENCY_TYPE_WORDS = frozenset({"pd", "so", "sd", "police", "sheriff", "sheriffs", "dps", "da", "hp"})
# A state's name right before these is a town's ("Oregon Police Department", "Indiana PD").
_LOCAL_TYPE_WORDS = frozenset({"pd", "so", "sd", "police", "sheriff", "sheriffs"})

# Kinds, read from the canonical text (first match wins, in this order).
_FEDERAL = re.compile(
    r"\b(fbi|atf|dea|usms|hsi|ice|cbp|usps|tva|nps|us marshals?|us army|us air force|us navy|"
    r"us attorney|us postal|postal inspection|inspector general|homeland security investigations|"
    r"immigration (and )?customs|customs (and )?border|border (patrol|control)|secret service|coast guard|"
    r"air force|army|navy|naval|marine corps|national park service|tennessee valley authority|"
    r"veterans affairs|federal bureau|drug enforcement administration|bureau of alcohol)\b"
)
_PRIVATE = re.compile(
    r"\b(hoa|mall|town center|shopping|plaza|apartments?|townhomes|condominiums?|inc|llc|corp|corporation|"
    r"company|properties|property group|casinos?|hotel|resort|yacht club|country club|lowes|lowe|home depot|"
    r"walmart|meijer|target|costco|kroger|publix|scheels|fleet farm|kaiser permanente|fedex|flock safety|"
    r"flock|axon|genetec|verra mobility|skycop|technologies|power|stores?|association)\b"
)
# A state's own bodies: these phrases say so whatever else the name holds ...
_STATE_BODY = re.compile(
    r"\b(state police|state patrol|hp|state troopers?|bureau (criminal )?investigations?|kbi|tbi|gbi|sbi|"
    r"attorney general|law enforcement (division|agency)|state fire marshal|criminal justice|"
    r"information analysis center)\b"
)
# ... these only when nothing but the state's name stands beside them ("Missouri Department of
# Conservation", not "NYC Department of Transportation").
_STATE_SUBJECTS = frozenset(
    {
        "corrections", "justice", "natural", "resources", "wildlife", "parks", "alcohol", "motor",
        "vehicles", "dmv", "revenue", "labor", "insurance", "homeland", "security", "turnpikes",
        "transportation", "dot", "conservation", "fish", "game", "fusion", "center", "investigations",
        "investigation", "fire", "marshal", "highway", "narcotics", "bureau", "general", "attorney",
    }
)  # fmt: skip
_SHERIFF = re.compile(r"\bsheriff\b")
_POLICE = re.compile(r"\b(police|dps|marshals?|rangers)\b")
_OTHER = re.compile(
    r"\b(da|prosecutor|state attorney|attorney|dispatch|communications|911|fire|university|college|schools?|"
    r"isd|transit|airport|port|task force|parks|probation|constable)\b"
)

_PARENTHESES = re.compile(r"[\(\[\{]([^\)\]\}]*)[\)\]\}]?")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class ParsedName:
    """A name read by `parse`: its canonical tokens, the part that identifies it, the state and kind."""

    text: str
    tokens: tuple[str, ...]
    distinct: tuple[str, ...]
    generic: frozenset[str]
    state: str | None
    kind: str | None  # None: nothing in the name says what kind of body it is
    aliases: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        """The normalised form stored as an alias (`agency_aliases.normalized`): tokens without the state."""
        return " ".join(self.tokens)


def fold(text: str) -> str:
    """Lower case, accents and curly quotes folded, apostrophes dropped ("Sheriff’s" -> "sheriffs")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    return re.sub(r"'", "", text.lower())


def state_of_geoid(geoid: str | None) -> str | None:
    """The USPS code of a state GEOID (FIPS "06" -> "CA"), or of a county's (its first two digits)."""
    return STATE_BY_GEOID.get(geoid[:2]) if geoid else None


def _code_tokens(original: str) -> list[tuple[str, bool]]:
    """The words of the original text, each with whether it was written in capitals."""
    return [(word.lower(), word.isupper()) for word in re.findall(r"[A-Za-z0-9']+", original)]


def _find_state_code(original: str) -> tuple[str | None, set[str]]:
    """The state a USPS code in the text names, and the codes read as something else ("LA County": Los
    Angeles; "Riverside County CA SD": a sheriff's department; "Clinton Co IA": a county)."""
    words = _code_tokens(original)
    all_lower = not any(char.isupper() for char in original)
    all_upper = not any(char.islower() for char in original)
    found: list[tuple[int, str]] = []
    for index, (word, capitals) in enumerate(words):
        code = word.upper()
        if code not in STATE_CODES:
            continue
        following = words[index + 1][0] if index + 1 < len(words) else None
        last = following is None
        if all_lower or all_upper:
            if word in _AMBIGUOUS_CODES and not (last or following in _AGENCY_TYPE_WORDS):
                continue
            if word == "co":  # "barron co sheriff": a county, in every lower-case text
                continue
        elif not capitals:
            continue
        if code == "LA" and following in {"county", "port"}:
            continue
        if code == "CO" and following in {"so", "sheriff", "sheriffs"}:
            continue
        found.append((index, code))
    codes = [code for _index, code in found]
    as_words: set[str] = set()
    # "SD" beside another state's code is a sheriff's department.
    if "SD" in codes and len(set(codes)) > 1:
        codes = [code for code in codes if code != "SD"]
        as_words.add("sd")
    return (codes[-1] if codes else None), as_words


def state_name_at(words: list[str]) -> tuple[str, int, int] | None:
    """Where a state is named in full as the agency's state, as (code, first word, word after): at the
    start and not as part of a place or a town's police ("Washington State Patrol", "Ohio DPS"; not
    "Washington County", "Virginia Beach", "Oregon Police Department"), or between a place and the
    agency's type ("Lake County Indiana Sheriff")."""
    text = " ".join(words)
    for name in _STATE_NAMES:
        for match in re.finditer(rf"\b{name}\b", text):
            start = len(text[: match.start()].split())
            end = start + len(name.split())
            before = words[:start]
            following = words[end] if end < len(words) else None
            if following in _PLACE_WORDS or following in {"beach", "heights", "hills", "falls", "springs"}:
                continue
            at_start = (not before or before == ["the"]) and following not in _LOCAL_TYPE_WORDS
            before_type = following in _AGENCY_TYPE_WORDS or following == "state"
            if at_start or (before_type and before and before[-1] in _PLACE_WORDS):
                return STATE_BY_NAME[name], start, end
    return None


def _close_generic(token: str) -> str:
    """A misspelt generic token read as the token ("departmentt" -> "department")."""
    if len(token) < 6 or token in GENERIC_TOKENS:
        return token
    from rapidfuzz import fuzz  # noqa: PLC0415 (only this path needs it)

    for target in _SPELLING_TARGETS:
        if fuzz.ratio(token, target) >= 88:
            return target
    return token


def canonical_tokens(folded: str, words_not_codes: set[str] = frozenset(), state: str | None = None) -> list:
    """The canonical tokens of a folded text (state codes and the state's name taken out)."""
    text = " ".join(_WORD.findall(folded))
    for pattern, replacement in _PHRASE_PATTERNS:
        text = pattern.sub(replacement, text)
    tokens = []
    words = text.split()
    for index, word in enumerate(words):
        if word == "sd" and "sd" in words_not_codes:
            tokens.append("sheriff")
            continue
        if word == "co":
            following = words[index + 1] if index + 1 < len(words) else None
            # "Clinton Co IA", "Barron Co Sheriff": a county; a state code was taken out before.
            if state != "CO" or following in {"so", "sheriff", "sheriffs"}:
                tokens.append("county")
                continue
        if word.upper() == state and word.upper() in STATE_CODES:
            continue
        if word in {"lapd", "lasd"}:
            tokens += ["los", "angeles", "police" if word == "lapd" else "sheriff"]
            continue
        if word == "la" and index + 1 < len(words) and words[index + 1] in {"county", "port"}:
            tokens += ["los", "angeles"]
            continue
        token = _TOKENS.get(word, word)
        token = _close_generic(token)
        token = _TOKENS.get(token, token)
        if token:
            tokens.append(token)
    named = state_name_at(tokens)
    if named and named[0] == state:
        tokens = tokens[: named[1]] + tokens[named[2] :]
    # "City of X" and "X City" are the same body: the word says nothing about which one it is.
    return [token for token in tokens if token not in {"city"}]


def _is_federal(canonical: str, state_named: bool) -> bool:
    if not _FEDERAL.search(canonical) or re.search(r"\b(fort|city|county)\b.*\bmarshal", canonical):
        return False
    # A state's own inspector general ("TX Board of Criminal Justice - Inspector General") is the state's.
    state_inspector = re.search(r"\binspector general\b", canonical) and not re.search(r"\bus\b", canonical)
    return not (state_inspector and state_named)


def _is_state_body(canonical: str, distinct: list[str], state_named: bool, body_named: bool) -> bool:
    if re.search(r"\b(county|city|town|township|village|metropolitan|borough|parish)\b", canonical):
        return False
    if _STATE_BODY.search(canonical):
        return True
    # "Ohio DPS", "Missouri Department of Conservation": nothing but the state and what it does.
    subjects_only = state_named and body_named and set(distinct) <= _STATE_SUBJECTS
    return bool(subjects_only and (distinct or _POLICE.search(canonical) or "state" in canonical))


def infer_kind(
    canonical: str, distinct: list[str], state_named: bool, body_named: bool = False
) -> str | None:
    """The kind of agency a canonical text names, or None when nothing in it says. `body_named`: the text
    calls itself a department, bureau or office (so "WI Department of Justice" is the state's, while
    "Justice IL PD" is the village's police)."""
    if _is_federal(canonical, state_named):
        return AgencyKind.FEDERAL
    if _PRIVATE.search(canonical) and not re.search(r"\b(police|sheriff|county|university)\b", canonical):
        return AgencyKind.PRIVATE
    if _SHERIFF.search(canonical):
        return AgencyKind.SHERIFF
    if re.search(r"\b(da|prosecutor|state attorney)\b", canonical):
        return AgencyKind.OTHER
    if re.search(r"\b(university|college|campus|schools?|isd)\b", canonical):
        return AgencyKind.POLICE if _POLICE.search(canonical) else AgencyKind.OTHER
    if _is_state_body(canonical, distinct, state_named, body_named):
        return AgencyKind.STATE
    if _POLICE.search(canonical):
        return AgencyKind.POLICE
    if _OTHER.search(canonical):
        return AgencyKind.OTHER
    return None


def parse(text: str) -> ParsedName:
    """Read a name or an operator text into its canonical parts."""
    original = " ".join(text.split())
    aliases = []
    state_in_parentheses = None
    for inner in _PARENTHESES.findall(original):
        inner = inner.strip()
        if inner.upper() in STATE_CODES and len(inner) == 2:
            state_in_parentheses = inner.upper()
        elif inner:
            aliases.append(inner)
    outside = _PARENTHESES.sub(" ", original)
    # "(PD)", "(Ohio DPS)": words the name needs, kept; an acronym in parentheses is an alias only.
    kept = [alias for alias in aliases if _TOKENS.get(fold(alias)) or " " in alias]
    if kept:
        outside = outside + " " + " ".join(kept)
    code, words_not_codes = _find_state_code(outside)
    folded = fold(outside)
    found = state_name_at(_WORD.findall(folded))
    named = found[0] if found else None
    state = state_in_parentheses or code or named
    tokens = canonical_tokens(folded, words_not_codes, state)
    distinct = [token for token in tokens if token not in GENERIC_TOKENS]
    if not distinct and not state and len(aliases) > len(kept):
        # "Police (Framingham)", "(Clay County Sheriff's Office)": the parentheses hold the name itself.
        return parse(re.sub(r"[\(\)\[\]\{\}]", " ", original))
    generic = frozenset(token for token in tokens if token in GENERIC_TOKENS)
    canonical = " ".join(tokens)
    body_named = bool(re.search(r"\b(department|dept|bureau|office|division|commission)\b", folded))
    body_named = body_named or bool(named and not code and not state_in_parentheses)
    kind = infer_kind(canonical, distinct, state_named=state is not None, body_named=body_named)
    return ParsedName(
        text=original,
        tokens=tuple(tokens),
        distinct=tuple(distinct),
        generic=generic,
        state=state,
        kind=kind,
        aliases=tuple(alias for alias in aliases if alias not in kept),
    )


def normalized(text: str) -> str:
    """The normalised key of a name (what `agency_aliases.normalized` holds and a search compares)."""
    return parse(text).key
