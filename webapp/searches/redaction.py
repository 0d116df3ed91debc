"""What is masked in a search's stated reason before it is stored (issue 21, privacy at the door): anything
that looks like a licence plate, a date (of birth or any other), a case or report number, a Social Security
number, a phone number or an e-mail address. The reason is the only free text of an audit log that is kept;
officers write plates, case numbers and birth dates into it.

Masking errs on the side of removing: a full date is masked whatever it dates, and a long number whatever it
counts. What must survive are the words the classifier reads (ICE, HSI, CBP, ERO, ...) and the statute
numbers reasons cite ("10851 VC", "459 PC"). tests/searches/test_searches_redaction.py holds the examples and
the counter-examples."""

import re

PLATE = "[plate]"
DATE = "[date]"
CASE_NUMBER = "[case number]"
SSN = "[ssn]"
PHONE = "[phone]"
EMAIL = "[e-mail]"
MASKS = (PLATE, DATE, CASE_NUMBER, SSN, PHONE, EMAIL)

# Statute prefixes that precede a number in reasons ("PC459", "VC10851", "HS11350"): such a token is a law,
# not a plate.
_STATUTE_PREFIXES = r"(?:PC|VC|HS|HSC|CVC|WIC|BP|ORS|ARS|RCW|NRS|TC|PL|CL|ORC|FS|USC)"

_RULES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), EMAIL),
    (re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), SSN),
    (re.compile(r"(?<![\w-])(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b"), PHONE),
    # Dates with a day: 3/14/1990, 03-14-90, 1990-03-14, 14.03.1990; "DOB" and what follows it.
    (re.compile(r"\b(?:dob|d\.o\.b\.?|date of birth|born)\b[\s:#-]*[\w/.-]*", re.I), DATE),
    (re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b"), DATE),
    (re.compile(r"\b\d{4}[/.-]\d{1,2}[/.-]\d{1,2}\b"), DATE),
    # Whatever follows a plate's name is a plate, whatever it looks like ("plate 7ABC123", "tag: ABC 123").
    (
        re.compile(
            r"\b(?:plates?|tags?|lp|lpn|lic(?:ense)?(?: plate)?)\b[\s:#.-]*"
            r"(?=[A-Z0-9 -]{0,9}\d)[A-Z0-9]{1,4}(?:[ -]?[A-Z0-9]{1,5})?",
            re.I,
        ),
        PLATE,
    ),
    # A case, report, incident or CAD number: the word, then a token with digits.
    (
        re.compile(
            r"\b(?:case|cases|rpt|report|incident|inc|cad|cr|dr|file|event|ref|citation|warrant|offense)\b"
            r"\s*(?:no\.?|num(?:ber)?|#)?\s*[:#]?\s*[A-Z]{0,4}[-/]?\d[\w/-]*",
            re.I,
        ),
        CASE_NUMBER,
    ),
    (re.compile(r"#\s*[A-Z]{0,4}[-/]?\d[\w/-]*", re.I), CASE_NUMBER),
    # Numbers with a dash or slash and five digits or more ("25-012345", "2025-00123", "CR25-1234").
    (re.compile(r"\b[A-Z]{0,4}\d{2,4}[-/]\d{3,}(?:[-/]\d+)*\b", re.I), CASE_NUMBER),
    # Any run of six digits or more.
    (re.compile(r"\b[A-Z]{0,4}\d{6,}[A-Z]{0,3}\b", re.I), CASE_NUMBER),
    # Plates: 5 to 8 letters and digits with at least one letter and two digits, not a statute ("PC459").
    (
        re.compile(
            rf"\b(?!{_STATUTE_PREFIXES}\d+\b)(?=[A-Z0-9-]*[A-Z])(?=(?:[A-Z-]*\d){{2}})[A-Z0-9]{{1,4}}-?[A-Z0-9]{{1,5}}\b",
            re.I,
        ),
        PLATE,
    ),
)
_PLATE_LENGTH = range(5, 9)


def _plate_or_keep(match: re.Match) -> str:
    token = match.group(0)
    return PLATE if len(token.replace("-", "")) in _PLATE_LENGTH else token


def mask(reason: str) -> str:
    """The reason with everything that looks personal replaced by a mark ("[plate]", "[case number]", ...)."""
    text = reason
    for pattern, replacement in _RULES:
        if replacement == PLATE and pattern is _RULES[-1][0]:
            text = pattern.sub(_plate_or_keep, text)
        else:
            text = pattern.sub(replacement, text)
    return text
