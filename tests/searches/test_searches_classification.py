"""The published rule set (docs/searches-method.md) and the module agree: every example in the method's tables
gets its category (or tag), no counter-example does, the categories are listed in the module's order, and the
traps of a naive classifier are not immigration."""

import re
from pathlib import Path

import pytest

from webapp.searches import classification
from webapp.searches.classification import classify

METHOD = Path(__file__).resolve().parents[2] / "docs" / "searches-method.md"


def table(marker: str) -> list[list[str]]:
    """The rows (cells) of the table after `<!-- marker: ... -->` in the method page."""
    text = METHOD.read_text(encoding="utf-8").split(f"<!-- {marker}:", 1)[1]
    rows = []
    for line in text.split("-->", 1)[1].strip().splitlines():
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not set(cells[0]) <= {"-"}:
            rows.append(cells)
    return rows[1:]  # the header


def quoted(cell: str) -> list[str]:
    return re.findall(r"`([^`]*)`", cell)


CATEGORY_ROWS = table("categories")
TAG_ROWS = table("tags")


def test_the_method_lists_every_category_in_the_module_order():
    assert [quoted(row[1])[0] for row in CATEGORY_ROWS] == list(classification.CATEGORIES)
    counted = {quoted(row[1])[0] for row in CATEGORY_ROWS if row[2] == "yes"}
    assert counted == {
        category for category in classification.CATEGORIES if classification.is_immigration(category)
    }
    assert [quoted(row[0])[0] for row in TAG_ROWS] == list(classification.TAGS)


@pytest.mark.parametrize(
    ("category", "example"),
    [(quoted(row[1])[0], example) for row in CATEGORY_ROWS for example in quoted(row[4])],
)
def test_each_example_of_the_method_gets_its_category(category, example):
    assert classify(example).category == category


@pytest.mark.parametrize(
    ("category", "counter_example"),
    [(quoted(row[1])[0], example) for row in CATEGORY_ROWS for example in quoted(row[5])],
)
def test_no_counter_example_gets_the_category(category, counter_example):
    assert classify(counter_example).category != category


@pytest.mark.parametrize(
    ("tag", "example", "tagged"),
    [(quoted(row[0])[0], example, True) for row in TAG_ROWS for example in quoted(row[2])]
    + [(quoted(row[0])[0], example, False) for row in TAG_ROWS for example in quoted(row[3])],
)
def test_tags_stack_as_the_method_says(tag, example, tagged):
    assert (tag in classify(example).tags) is tagged


@pytest.mark.parametrize(
    "trap",
    [
        "ICAC",
        "ICAC task force",
        "police",
        "justice",
        "office",
        "device",
        "service",
        "notice",
        "Police Service",
        "Office of Justice",
        "device notice",
        "HSI child exploitation",
        "HSI narcotics",
    ],
)
def test_the_traps_of_a_naive_classifier_are_not_immigration(trap):
    assert not classify(trap).immigration


def test_first_match_wins_and_tags_stack():
    both = classify("ICE detainer, protest at the facility")
    assert (both.category, both.immigration, both.tags) == ("ice_hold", True, ("protest",))
    assert classify("HSI assisting ICE").category == "ice"  # ICE comes before HSI in the order
    assert classify("Border Patrol and DHS").category == "cbp"


def test_every_category_and_tag_has_a_label():
    assert set(classification.CATEGORY_LABELS) == set(classification.CATEGORIES)
    assert set(classification.TAG_LABELS) == set(classification.TAGS)
