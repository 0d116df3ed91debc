"""Generated network audit logs shaped like a real one (issue 21): thousands of searching agencies whose
volume falls off like Zipf's law (a few run most searches), heavily repeated reasons (about 2 % of them
immigration-related, some with no reason, case numbers, plates and birth dates typed into the reason),
two-line Time Frame cells, `***` in the redacted Name and License Plate columns, one CSV file per month.
`make run`'s demo log, the tests and `make bench-searches` use it. Deterministic for a seed."""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from webapp.kernel.csv_cells import csv_writer

HEADER = (
    "ID",
    "Name",
    "Org Name",
    "Total Networks Searched",
    "Total Devices Searched",
    "Time Frame",
    "License Plate",
    "Reason",
    "Case #",
    "Filters",
    "Search Time",
    "Search Type",
    "Text Prompt",
    "Moderation",
)
OWNER_STATE = "TX"
# Other states' agencies search too (out-of-state searches); the owner's state runs most of them.
STATES = ("TX",) * 12 + (
    "OK",
    "LA",
    "NM",
    "AR",
    "CO",
    "AZ",
    "FL",
    "GA",
    "CA",
    "IL",
    "MO",
    "KS",
    "TN",
    "NC",
    "OH",
)
FEDERAL_SEARCHERS = (
    "ICE ERO Houston",
    "HSI Houston TX",
    "US Border Patrol Laredo",
    "DHS OIG",
    "FBI Houston",
    "US Marshals Service",
)
_SYLLABLES = (
    "ar",
    "bel",
    "cor",
    "dal",
    "el",
    "far",
    "gran",
    "hill",
    "iv",
    "jas",
    "kin",
    "lam",
    "mor",
    "nor",
    "ol",
    "pal",
    "quin",
    "ros",
    "san",
    "tor",
    "ul",
    "ver",
    "wes",
    "yor",
    "zan",
    "ton",
    "ville",
    "burg",
)
# (reason, weight): what officers type, repeated. {n} becomes a number (a case number, masked on import).
REASONS = (
    ("investigation", 120),
    ("Investigation", 60),
    ("stolen vehicle", 90),
    ("Stolen Vehicle", 40),
    ("inv", 25),
    ("Case #{n}", 60),
    ("{n}", 30),
    ("***", 25),
    ("", 20),
    ("burglary", 30),
    ("Missing person", 20),
    ("wanted person", 20),
    ("hit and run", 15),
    ("narcotics", 15),
    ("robbery", 15),
    ("homicide", 8),
    ("fraud", 10),
    ("ICAC", 6),
    ("HSI child exploitation", 3),
    ("stolen plate {plate}", 8),
    ("suspect vehicle DOB {dob}", 3),
    ("agg assault", 12),
    ("theft", 25),
    ("BOLO", 10),
    ("Amber Alert", 2),
    ("police service call", 4),
    ("officer safety", 4),
    ("justice dept request", 2),
    ("custody dispute", 2),
    ("protest follow up", 1),
    ("personal use", 1),
)
# About 2 % of searches: the immigration reasons.
IMMIGRATION_REASONS = (
    ("ICE detainer", 3),
    ("ICE", 4),
    ("Immigration (civil/administrative)", 4),
    ("ERO", 2),
    ("Border Patrol", 2),
    ("immigration violation", 2),
    ("deportation", 1),
    ("DHS", 1),
    ("USCIS", 1),
    ("HSI", 2),
)
IMMIGRATION_SHARE = 0.02
SEARCH_TYPES = (
    ("search", 40),
    ("lookup", 45),
    ("search - Mobile", 6),
    ("lookup - Mobile", 5),
    ("convoy", 1),
    ("multiGeo", 1),
    ("visual", 1),
    ("freeform", 1),
)


@dataclass(frozen=True)
class SyntheticLog:
    rows: int = 100_000
    months: int = 12
    searching_agencies: int = 5363
    seed: int = 21
    start: date = date(2023, 1, 1)
    zipf_exponent: float = 1.1


def _town(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def searching_agency_names(count: int, rng: random.Random) -> list[str]:
    """Distinct Org Names like a vendor writes them ("Belmor TX PD", "Ardal County OK SO"), federal bodies
    among the first (the busiest)."""
    names: list[str] = list(FEDERAL_SEARCHERS[: max(0, min(len(FEDERAL_SEARCHERS), count // 50))])
    seen = set(names)
    while len(names) < count:
        state = rng.choice(STATES)
        name = f"{_town(rng)} County {state} SO" if rng.random() < 0.25 else f"{_town(rng)} {state} PD"
        if name not in seen:
            seen.add(name)
            names.append(name)
    rng.shuffle(names)
    return names


def _plate(rng: random.Random) -> str:
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3))
    return f"{rng.randint(1, 9)}{letters}{rng.randint(100, 999)}"


def _reason(template: str, rng: random.Random) -> str:
    if "{" not in template:
        return template
    return template.format(
        n=f"{rng.randint(20, 26)}-{rng.randint(0, 999999):06d}",
        plate=_plate(rng),
        dob=f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(1950, 2005)}",
    )


def _time(moment: datetime) -> str:
    return moment.strftime("%m/%d/%Y, %I:%M:%S %p UTC")


def _month_starts(log: SyntheticLog) -> list[datetime]:
    year, month = log.start.year, log.start.month
    starts = []
    for _ in range(log.months + 1):
        starts.append(datetime(year, month, 1, tzinfo=UTC))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return starts


def write_network_log(folder: Path, log: SyntheticLog) -> list[Path]:
    """Write the log as one CSV per month (network_audit_YYYY-MM.csv); the paths, oldest first."""
    rng = random.Random(log.seed)
    folder.mkdir(parents=True, exist_ok=True)
    agencies = searching_agency_names(log.searching_agencies, rng)
    agency_weights = [1 / (rank**log.zipf_exponent) for rank in range(1, len(agencies) + 1)]
    reasons, reason_weights = zip(*REASONS, strict=True)
    immigration, immigration_weights = zip(*IMMIGRATION_REASONS, strict=True)
    types, type_weights = zip(*SEARCH_TYPES, strict=True)
    starts = _month_starts(log)
    paths = []
    written = 0
    for index in range(log.months):
        month_start, month_end = starts[index], starts[index + 1]
        count = (log.rows * (index + 1)) // log.months - written
        written += count
        seconds = int((month_end - month_start).total_seconds())
        offsets = sorted(rng.randrange(seconds) for _ in range(count))
        searchers = rng.choices(agencies, agency_weights, k=count)
        picked_types = rng.choices(types, type_weights, k=count)
        path = folder / f"network_audit_{month_start:%Y-%m}.csv"
        with path.open("w", newline="", encoding="utf-8") as file:
            writer = csv_writer(file)
            writer.writerow(HEADER)
            for offset, searcher, search_type in zip(offsets, searchers, picked_types, strict=True):
                searched_at = month_start + timedelta(seconds=offset)
                if rng.random() < IMMIGRATION_SHARE:
                    reason = rng.choices(immigration, immigration_weights)[0]
                else:
                    reason = _reason(rng.choices(reasons, reason_weights)[0], rng)
                window_days = rng.choice((1, 7, 30, 30, 30))
                frame = f"{_time(searched_at - timedelta(days=window_days))}\n{_time(searched_at)}"
                networks = 1 if rng.random() < 0.4 else rng.randint(2, 4000)
                writer.writerow(
                    (
                        f"{rng.getrandbits(128):032x}",
                        "***",
                        searcher,
                        networks,
                        networks * rng.randint(3, 40),
                        frame,
                        "***",
                        reason,
                        "",
                        "",
                        _time(searched_at),
                        search_type,
                        "",
                        "",
                    )
                )
        paths.append(path)
    return paths
