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

from webapp.agencies.matching.name_words import (
    AGENCY_TYPE_WORDS,
    AMBIGUOUS_CODES,
    FEDERAL,
    GENERIC_TOKENS,
    LOCAL_TYPE_WORDS,
    OTHER,
    PARENTHESES,
    PHRASE_PATTERNS,
    PLACE_WORDS,
    POLICE,
    PRIVATE,
    SHERIFF,
    SPELLING_TARGETS,
    STATE_BODY,
    STATE_SUBJECTS,
    TOKENS,
    WORD,
)
from webapp.agencies.us_states import STATE_BY_NAME, STATE_CODES
from webapp.kernel.vocabulary import AgencyKind

# Longest first, so that "west virginia" is read before "virginia".
_STATE_NAMES = sorted(STATE_BY_NAME, key=len, reverse=True)


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
            if word in AMBIGUOUS_CODES and not (last or following in AGENCY_TYPE_WORDS):
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
            if following in PLACE_WORDS or following in {"beach", "heights", "hills", "falls", "springs"}:
                continue
            at_start = (not before or before == ["the"]) and following not in LOCAL_TYPE_WORDS
            before_type = following in AGENCY_TYPE_WORDS or following == "state"
            if at_start or (before_type and before and before[-1] in PLACE_WORDS):
                return STATE_BY_NAME[name], start, end
    return None


def _close_generic(token: str) -> str:
    """A misspelt generic token read as the token ("departmentt" -> "department")."""
    if len(token) < 6 or token in GENERIC_TOKENS:
        return token
    from rapidfuzz import fuzz  # noqa: PLC0415 (only this path needs it)

    for target in SPELLING_TARGETS:
        if fuzz.ratio(token, target) >= 88:
            return target
    return token


def canonical_tokens(folded: str, words_not_codes: set[str] = frozenset(), state: str | None = None) -> list:
    """The canonical tokens of a folded text (state codes and the state's name taken out)."""
    text = " ".join(WORD.findall(folded))
    for pattern, replacement in PHRASE_PATTERNS:
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
        token = TOKENS.get(word, word)
        token = _close_generic(token)
        token = TOKENS.get(token, token)
        if token:
            tokens.append(token)
    named = state_name_at(tokens)
    if named and named[0] == state:
        tokens = tokens[: named[1]] + tokens[named[2] :]
    # "City of X" and "X City" are the same body: the word says nothing about which one it is.
    return [token for token in tokens if token not in {"city"}]


def _is_federal(canonical: str, state_named: bool) -> bool:
    if not FEDERAL.search(canonical) or re.search(r"\b(fort|city|county)\b.*\bmarshal", canonical):
        return False
    # A state's own inspector general ("TX Board of Criminal Justice - Inspector General") is the state's.
    state_inspector = re.search(r"\binspector general\b", canonical) and not re.search(r"\bus\b", canonical)
    return not (state_inspector and state_named)


def _is_state_body(canonical: str, distinct: list[str], state_named: bool, body_named: bool) -> bool:
    if re.search(r"\b(county|city|town|township|village|metropolitan|borough|parish)\b", canonical):
        return False
    if STATE_BODY.search(canonical):
        return True
    # "Ohio DPS", "Missouri Department of Conservation": nothing but the state and what it does.
    subjects_only = state_named and body_named and set(distinct) <= STATE_SUBJECTS
    return bool(subjects_only and (distinct or POLICE.search(canonical) or "state" in canonical))


def infer_kind(
    canonical: str, distinct: list[str], state_named: bool, body_named: bool = False
) -> str | None:
    """The kind of agency a canonical text names, or None when nothing in it says. `body_named`: the text
    calls itself a department, bureau or office (so "WI Department of Justice" is the state's, while
    "Justice IL PD" is the village's police)."""
    if _is_federal(canonical, state_named):
        return AgencyKind.FEDERAL
    if PRIVATE.search(canonical) and not re.search(r"\b(police|sheriff|county|university)\b", canonical):
        return AgencyKind.PRIVATE
    if SHERIFF.search(canonical):
        return AgencyKind.SHERIFF
    if re.search(r"\b(da|prosecutor|state attorney)\b", canonical):
        return AgencyKind.OTHER
    if re.search(r"\b(university|college|campus|schools?|isd)\b", canonical):
        return AgencyKind.POLICE if POLICE.search(canonical) else AgencyKind.OTHER
    if _is_state_body(canonical, distinct, state_named, body_named):
        return AgencyKind.STATE
    if POLICE.search(canonical):
        return AgencyKind.POLICE
    if OTHER.search(canonical):
        return AgencyKind.OTHER
    return None


def parse(text: str) -> ParsedName:
    """Read a name or an operator text into its canonical parts."""
    original = " ".join(text.split())
    aliases = []
    state_in_parentheses = None
    for inner in PARENTHESES.findall(original):
        inner = inner.strip()
        if inner.upper() in STATE_CODES and len(inner) == 2:
            state_in_parentheses = inner.upper()
        elif inner:
            aliases.append(inner)
    outside = PARENTHESES.sub(" ", original)
    # "(PD)", "(Ohio DPS)": words the name needs, kept; an acronym in parentheses is an alias only.
    kept = [alias for alias in aliases if TOKENS.get(fold(alias)) or " " in alias]
    if kept:
        outside = outside + " " + " ".join(kept)
    code, words_not_codes = _find_state_code(outside)
    folded = fold(outside)
    found = state_name_at(WORD.findall(folded))
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
