"""The published rule set that classifies a search's stated reason (issue 21): one module, versioned.

A reason gets exactly one category: the first immigration rule that matches, in the order of
IMMIGRATION_RULES; else no reason, a case number only, vague, or other. Tags stack on top of the category
(protest or political activity, reproductive health care, custody or civil matters, personal use). Rules
read the reason as stored, that is after webapp.searches.redaction masked it, so a new version can classify
every stored reason again (`flask searches reclassify`). docs/searches-method.md publishes the rules with
examples and counter-examples; tests/searches/test_searches_classification.py checks every one of them.

Change a rule: change it here, add its examples to the method page, and raise RULE_VERSION.
"""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from webapp.searches.redaction import MASKS

RULE_VERSION = 1

# (category, pattern), first match wins. \b keeps "ice" out of police, justice, office, device, service,
# notice; ICAC (a child-exploitation task force) is no ICE.
IMMIGRATION_RULES: tuple[tuple[str, re.Pattern], ...] = (
    (
        "ice_hold",
        re.compile(
            r"\bI\.?C\.?E\.?\s*(?:[\w/-]+\s+){0,2}(?:hold|detainer|warrant)s?\b"
            r"|\b(?:immigration|ICE)\s+(?:hold|detainer|warrant)s?\b"
            r"|\b(?:hold|detainer|warrant)s?\s+(?:for|from|by)\s+I\.?C\.?E\b",
            re.I,
        ),
    ),
    ("ice", re.compile(r"\bI\.C\.E\b\.?|\bICE\b|\bimmigration and customs enforcement\b", re.I)),
    ("ero", re.compile(r"\bERO\b|\benforcement and removal\b", re.I)),
    ("cbp", re.compile(r"\bCBP\b|\bUSBP\b|\bborder\s+patrol\b|\bcustoms and border\b", re.I)),
    (
        "deportation",
        re.compile(
            r"\bdeport\w*|\bremoval\s+(?:order|proceeding|case)s?\b|\b(?:removable|illegal)\s+aliens?\b", re.I
        ),
    ),
    ("dhs", re.compile(r"\bD\.?H\.?S\b|\bhomeland security\b(?!\s+investigations)", re.I)),
    ("uscis", re.compile(r"\bUSCIS\b|\bcitizenship and immigration services\b", re.I)),
    # The dropdown reason added in 2026: "Immigration (civil/administrative)", "Immigration (criminal)".
    ("immigration_dropdown", re.compile(r"^\s*immigration\s*\(", re.I)),
    # HSI investigates immigration and much else (child exploitation, drugs, fraud): marked, not counted.
    ("hsi", re.compile(r"\bHSI\b|\bhomeland security investigations\b", re.I)),
    ("immigration", re.compile(r"\bimmigra\w*|\bundocumented\b", re.I)),
)
IMMIGRATION_CATEGORIES = tuple(category for category, _pattern in IMMIGRATION_RULES)
# Immigration categories that are not counted as immigration-related (shown beside the count).
AMBIGUOUS_CATEGORIES = ("hsi",)

_MASK_WORDS = "|".join(re.escape(mask) for mask in MASKS)
NO_REASON = re.compile(r"^[\s*.\-_/#?!]*$|^\s*(?:n/?a|none|no reason|null|unknown)\s*$", re.I)
# Only a case number: the masked number and the words around one ("case #[case number]", "rpt [case number]").
CASE_NUMBER_ONLY = re.compile(
    r"^(?:\s|[#:;,./-]|\bcase\b|\bcases\b|\bno\b|\bnumber\b|\bnum\b|\brpt\b|\breport\b|\bincident\b|\bcad\b"
    rf"|\bfile\b|\d+|{re.escape('[case number]')})*{re.escape('[case number]')}(?:\s|[#:;,./-]|\d)*$",
    re.I,
)
# Reasons that say nothing about why: one or two characters, or a word that fits any search.
VAGUE = re.compile(
    r"^\s*(?:\S{1,2}|inv\.?|invest\.?|investigat\w*|criminal investigation|investigative lead|follow[- ]?up"
    r"|law enforcement|le|le purposes|police business|official business|work|suspect|suspicious|test|testing"
    rf"|training|search|lookup|query|check|{_MASK_WORDS})\s*[.!]*\s*$",
    re.I,
)

TAG_RULES: tuple[tuple[str, re.Pattern], ...] = (
    (
        "protest",
        re.compile(
            r"\bprotest\w*|\brally\b|\brallies\b|\bdemonstrat\w*|\bactivis\w*|\bpolitical\b|\bno kings\b"
            r"|\bpicket\w*|\briot\w*",
            re.I,
        ),
    ),
    (
        "reproductive_health",
        re.compile(r"\babortion\w*|\bplanned parenthood\b|\breproductive\b|\bmifepristone\b", re.I),
    ),
    (
        "custody_civil",
        re.compile(
            r"\bcustody\b|\bcivil\s+(?:matter|dispute|case|issue|standby|process)\b|\bchild exchange\b"
            r"|\bdivorce\b|\bevict\w*|\brepossess\w*|\blandlord\b",
            re.I,
        ),
    ),
    (
        "personal_use",
        re.compile(
            r"\bpersonal\s+(?:use|reasons?|matter|business)\b"
            r"|\bex[- ]?(?:girlfriend|boyfriend|wife|husband|spouse)\b"
            r"|\bmy\s+(?:wife|husband|daughter|son|girlfriend|boyfriend|neighbou?r|car|vehicle)\b",
            re.I,
        ),
    ),
)
TAGS = tuple(tag for tag, _pattern in TAG_RULES)

NON_IMMIGRATION_CATEGORIES = ("no_reason", "case_number_only", "vague", "other")
CATEGORIES = IMMIGRATION_CATEGORIES + NON_IMMIGRATION_CATEGORIES

CATEGORY_LABELS = {
    "ice_hold": _l("ICE hold, detainer or warrant"),
    "ice": _l("ICE"),
    "ero": _l("ERO (ICE Enforcement and Removal Operations)"),
    "cbp": _l("CBP or Border Patrol"),
    "deportation": _l("Deportation or removal"),
    "dhs": _l("DHS"),
    "uscis": _l("USCIS"),
    "immigration_dropdown": _l("Immigration (the vendor's dropdown reason)"),
    "hsi": _l("HSI (ambiguous: not only immigration)"),
    "immigration": _l("Immigration, other wording"),
    "no_reason": _l("No reason given"),
    "case_number_only": _l("A case number only"),
    "vague": _l("Vague reason"),
    "other": _l("Other reasons"),
}
TAG_LABELS = {
    "protest": _l("Protest or political activity"),
    "reproductive_health": _l("Reproductive health care"),
    "custody_civil": _l("Custody or civil matter"),
    "personal_use": _l("Personal use"),
}


@dataclass(frozen=True)
class Classification:
    category: str
    immigration: bool
    tags: tuple[str, ...]


def is_immigration(category: str) -> bool:
    """Whether a category counts as immigration-related (HSI is shown beside, not counted)."""
    return category in IMMIGRATION_CATEGORIES and category not in AMBIGUOUS_CATEGORIES


def category_of(reason: str) -> str:
    for category, pattern in IMMIGRATION_RULES:
        if pattern.search(reason):
            return category
    if NO_REASON.match(reason):
        return "no_reason"
    if CASE_NUMBER_ONLY.match(reason):
        return "case_number_only"
    if VAGUE.match(reason):
        return "vague"
    return "other"


def classify(reason: str) -> Classification:
    """The category and tags of one (masked) reason under RULE_VERSION."""
    category = category_of(reason)
    tags = tuple(tag for tag, pattern in TAG_RULES if pattern.search(reason))
    return Classification(category, is_immigration(category), tags)
