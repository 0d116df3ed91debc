"""The vendor vocabulary: one slug per manufacturer, display names, identification hints, and the
normalisation of the many raw spellings found in OpenStreetMap ("Flock Group Inc.", "Flock Safety Inc")."""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler


@dataclass(frozen=True)
class Vendor:
    slug: str
    name: str
    hint: object  # a lazy translated string
    # Lower-case words that, found at the start of a raw name, identify this vendor.
    prefixes: tuple[str, ...]


VENDORS: tuple[Vendor, ...] = (
    Vendor(
        "flock-safety",
        "Flock Safety",
        _l("Black box camera with a small solar panel on its own pole."),
        ("flock",),
    ),
    Vendor(
        "motorola-vigilant",
        "Motorola Solutions / Vigilant",
        _l("Grey or white box cameras, often on mast arms; Vigilant or L5 labels."),
        ("motorola", "mortorola", "motorolla", "vigilant"),
    ),
    Vendor(
        "genetec",
        "Genetec",
        _l("AutoVu cameras: small cylinders with an infrared ring."),
        ("genetec", "autovu"),
    ),
    Vendor(
        "leonardo-elsag",
        "Leonardo / ELSAG",
        _l("ELSAG Plate Hunter: a white or grey dual-lens box."),
        ("leonardo", "elsag", "selex"),
    ),
    Vendor(
        "neology",
        "Neology",
        _l("Formerly 3M/PIPS: compact box with a built-in infrared illuminator."),
        ("neology", "3m", "pips"),
    ),
    Vendor(
        "rekor",
        "Rekor",
        _l("Rekor Scout: usually an ordinary IP camera running plate software."),
        ("rekor", "openalpr"),
    ),
    Vendor(
        "ubicquia",
        "Ubicquia",
        _l("Built into the streetlight: a small pod on top of the lamp head."),
        ("ubicquia",),
    ),
    Vendor("axis", "Axis Communications", _l("Axis bullet or box cameras with an Axis logo."), ("axis",)),
    Vendor("ekin", "Ekin", _l("Ekin Spotter: a tall, slim white pole with cameras built in."), ("ekin",)),
    Vendor(
        "avigilon",
        "Avigilon",
        _l("Avigilon (Motorola) bullet cameras with an H-series label."),
        ("avigilon",),
    ),
    Vendor(
        "verkada", "Verkada", _l("Verkada: white bullet cameras with a small Verkada logo."), ("verkada",)
    ),
    Vendor("kapsch", "Kapsch", _l("Kapsch VRX: tolling and traffic cameras on gantries."), ("kapsch",)),
    Vendor(
        "insight-lpr",
        "Insight LPR",
        _l("Insight LPR: a box camera often paired with a trailer or pole."),
        ("insight",),
    ),
    Vendor(
        "liveview",
        "LiveView Technologies",
        _l("A mobile trailer with a tall mast and solar panels."),
        ("liveview", "lvt"),
    ),
    Vendor(
        "unknown",
        "Unknown",
        _l("Not sure? Choose this; a moderator can tell from the photo."),
        ("unkn", "unkwn", "unkown", "other", "generic"),
    ),
)

BY_SLUG: dict[str, Vendor] = {vendor.slug: vendor for vendor in VENDORS}
_WORD = re.compile(r"[a-z0-9]+")
_WIKIDATA_ID = re.compile(r"\bQ\d+\b", re.IGNORECASE)
# The Wikidata items OSM mappers use in `manufacturer:wikidata` / `brand:wikidata` (and sometimes paste into
# `brand` itself), as DeFlock's tagging guide gives them.
WIKIDATA_VENDORS = {
    "Q108485435": "flock-safety",
    "Q634815": "motorola-vigilant",
    "Q130958232": "neology",
    "Q30295174": "genetec",
    "Q910379": "leonardo-elsag",
    "Q2347731": "axis",
}


def normalise_vendor(raw: str | None) -> str:
    """The slug for a raw vendor name. Known vendors map to their slug (a near-miss of one too: "floc",
    "flow safety"), known "don't know" spellings to `unknown`, and anything else to a slug of its own words,
    so no information is thrown away."""
    if raw is None or not raw.strip():
        return "unknown"
    if (wikidata := _WIKIDATA_ID.search(raw)) and wikidata.group().upper() in WIKIDATA_VENDORS:
        return WIKIDATA_VENDORS[wikidata.group().upper()]
    words = _WORD.findall(raw.lower())
    if not words:
        return "unknown"
    if "_".join(words) in BY_SLUG or "-".join(words) in BY_SLUG:
        return "-".join(words)
    first = words[0]
    for vendor in VENDORS:
        if any(first.startswith(prefix) for prefix in vendor.prefixes):
            return vendor.slug
    # Drop company-form suffixes so "Obvio, Inc." and "Obvio" are one vendor.
    kept = [word for word in words if word not in {"inc", "llc", "ltd", "co", "corp", "corporation", "group"}]
    kept = kept or words
    if near := near_miss(kept):
        return near.slug
    return "-".join(kept)[:64].strip("-") or "unknown"


# How close a misspelling must be to a known vendor to be taken for it (rapidfuzz's normalised Indel
# similarity, 0-100, and Jaro-Winkler, 0-1). Set on the spellings OpenStreetMap holds: "floc", "floc-safety",
# "flow-safety", "rektor" are near-misses; "uniview-technologies" (beside "liveview-technologies"),
# "ubiquiti" (beside "ubicquia"), "axon" and "avis" (beside "axis") are other companies.
WORD_SIMILARITY_MIN = 85
NAME_SIMILARITY_MIN = 85
FIRST_WORD_SIMILARITY_MIN = 0.84
NEAR_MISS_MIN_CHARS = 4


def near_miss(words: list[str]) -> Vendor | None:
    """The known vendor a misspelt name stands for: its first word one slip from one of the vendor's words
    ("floc", "rektor"), or its whole name close to the vendor's with a first word that starts alike
    ("flow safety"); None when no vendor is that close (a vendor of its own)."""
    first, whole = words[0], " ".join(words)
    if len(first) < NEAR_MISS_MIN_CHARS:
        return None
    best, best_score = None, 0.0
    for vendor in VENDORS:
        if vendor.slug == "unknown":
            continue
        known_words = [prefix for prefix in vendor.prefixes if len(prefix) >= NEAR_MISS_MIN_CHARS]
        word_score = max((fuzz.ratio(first, known) for known in known_words), default=0.0)
        name = " ".join(_WORD.findall(vendor.name.lower()))
        starts_alike = max((JaroWinkler.similarity(first, known) for known in known_words), default=0.0)
        name_score = fuzz.ratio(whole, name) if starts_alike >= FIRST_WORD_SIMILARITY_MIN else 0.0
        score = max(word_score if word_score >= WORD_SIMILARITY_MIN else 0.0, name_score)
        if score >= NAME_SIMILARITY_MIN and score > best_score:
            best, best_score = vendor, score
    return best


def vendor_name(slug: str) -> str:
    """The vendor's name for people: a company's own name, or "Unknown" in the page's language."""
    if slug == "unknown":
        return str(_l("Unknown"))
    vendor = BY_SLUG.get(slug)
    return vendor.name if vendor else slug.replace("-", " ").title()
